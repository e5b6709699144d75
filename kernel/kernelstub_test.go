package kernel_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/gdbstub/client"
	"copslab/sched"
	"copslab/workbench/live"
	"copslab/workbench/record"
)

// TestKernelStubGDB debugs the kernel itself through its own gdb stub
// (boot option kgdb=wait: the monitor in kernel/rt that stops the whole
// kernel in trap context) over sifive_u's second UART on a loopback
// socket: gdb-multiarch in batch mode finds the kernel halted at its
// deliberate break, reads registers, breaks at the trace ring's put (the
// kernel's decision point), single-steps one instruction and one line,
// reads a kernel variable, lists the threads and detaches; the kernel
// then runs its workload to the end.
func TestKernelStubGDB(t *testing.T) {
	kernel, p := sifiveImage(t)
	gdb, err := exec.LookPath(p.GDB.Binary)
	if err != nil {
		t.Skipf("%s not installed: %v", p.GDB.Binary, err)
	}
	m, port := bootKernelStub(t, kernel, p, live.KernelStubOption, "runall pyield pyield")
	out := runGDBBatch(t, gdb, kernel,
		"set remotetimeout 60", // a serial line under a loaded host: gdb's default is 2 s
		"target remote 127.0.0.1:"+strconv.Itoa(port),
		"info registers pc sp",
		"break 'copslab/kernel/ktrace.(*Ring).put'",
		"continue",
		"info registers pc",
		"stepi",
		"info registers pc",
		"next",
		"print 'main.ticks' > 0",
		"info threads",
		"delete",
		"detach")
	for _, want := range []string{
		`pc +0x[0-9a-f]+\s+0x[0-9a-f]+ <runtime\.bmKgdbBreak\+4>`, // halted at kgdb=wait's break
		`sp +0x8[0-9a-f]{7}\s`, // on a kernel stack in RAM
		`Breakpoint 1, copslab/kernel/ktrace\.\(\*Ring\)\.put \(`,
		`\n67\s+r\.init\(\)`, // next: line 66 → 67
		`\$1 = true`,         // main.ticks read from kernel memory
		`\* 1 +Thread 1 \(hart 1, kernel\) +copslab/kernel/ktrace\.\(\*Ring\)\.put`,
		`\[Inferior 1 \(Remote target\) detached\]`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("gdb output lacks %s", want)
		}
	}
	checkStepi(t, out) // pc at the break, at the breakpoint, after stepi
	expect(t, m, `copslab: kgdb: continued`)
	expect(t, m, `copslab: runall: 2 processes`)
	wantExit(t, m, 0)
}

// TestKernelStubWorkbenchRecord: the workbench's qemu target attaches to
// the kernel's own stub (copslab record --stub kernel) and streams the
// kernel's trace ring through it — brief halts by gdb's interrupt byte,
// the ring read by ELF symbol, the power-off caught — headless, to the
// kernel's power-off.
func TestKernelStubWorkbenchRecord(t *testing.T) {
	kernel, _ := sifiveImage(t)
	copslab := copslabBinary(t)
	dir := t.TempDir()
	rec := filepath.Join(dir, "k.rec")
	cmd := exec.Command(copslab, "record", "--target", "qemu", "--stub", live.StubKernel,
		"--board", "../boards/qemu-sifive_u.yaml", "--kernel", kernel,
		"--append", "runall pyield pyield", "-o", rec)
	cmd.Env = append(cmd.Environ(), "XDG_CONFIG_HOME="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("$ %s\n%s", boards.ShellQuote(cmd.Args), out)
	if err != nil {
		t.Fatal(err)
	}
	meta, m, err := record.LoadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	procs, yields := map[uint16]bool{}, 0
	for _, e := range m.Events() {
		if e.Kind != sched.KindUser {
			continue // the kernel's own coroutines (scheduler, console driver, timer queue)
		}
		switch e.Cause {
		case sched.CauseSpawn:
			procs[e.Proc] = true
		case sched.CauseYield:
			yields++
		}
	}
	// Two pyield processes of 1000 sched_yield calls each; runs here
	// recorded 1996 to 2000 yield events. More than 1000 means both
	// processes' yields were streamed.
	t.Logf("%d events, %d yields, %d lost", m.Len(), yields, m.Lost())
	if meta.Target != "qemu" || len(procs) != 2 || yields <= 1000 || m.Lost() != 0 {
		t.Fatalf("meta %+v: %d events, processes %v, %d yields, %d lost", meta, m.Len(), procs, yields, m.Lost())
	}
	if !regexp.MustCompile(`kernel's gdb stub`).MatchString(meta.Scenario) {
		t.Errorf("recording's target name %q does not say which stub", meta.Scenario)
	}
	for _, c := range m.Now().Cos {
		if c.State != sched.Exited {
			t.Errorf("tid %d %v at the end of the recording", c.ID, c.State)
		}
	}
}

// bootKernelStub boots the sifive_u image with option (kgdb=wait or
// kgdb=run) before bootargs and the second UART on a loopback socket; it
// returns once the stub is armed.
func bootKernelStub(t *testing.T, kernel string, p *boards.Profile, option, bootargs string) (*qemu.Machine, int) {
	t.Helper()
	port := freePort(t)
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: option + " " + bootargs,
		Extra: live.KernelStubArgs(port)})...)
	expect(t, m, `copslab: kgdb: kernel stub on the second UART; (halted until gdb continues|gdb may attach and interrupt)`)
	return m, port
}

var copslabBuild struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// copslabBinary builds the workbench's command once per test binary.
func copslabBinary(t *testing.T) string {
	t.Helper()
	copslabBuild.once.Do(func() {
		copslabBuild.path = filepath.Join(filepath.Dir(kernelELF), "copslab")
		copslabBuild.out, copslabBuild.err = exec.Command("go", "build", "-o", copslabBuild.path, "../workbench/cmd/copslab").CombinedOutput()
	})
	if copslabBuild.err != nil {
		t.Fatalf("building copslab: %v\n%s", copslabBuild.err, copslabBuild.out)
	}
	return copslabBuild.path
}

// TestKernelStubOSAwareProxy: the kernel runs with kgdb=run (armed, not
// halted) two programs that spin; the workbench's OS-aware proxy (copslab
// gdbproxy --kernel) connects to the running kernel's stub — its first
// packet stops the kernel, here in a user program — and shows gdb the
// kernel's threads from its thread table, read through the stub by ELF
// symbol.
func TestKernelStubOSAwareProxy(t *testing.T) {
	kernel, p := sifiveImage(t)
	gdb, err := exec.LookPath(p.GDB.Binary)
	if err != nil {
		t.Skipf("%s not installed: %v", p.GDB.Binary, err)
	}
	copslab := copslabBinary(t)
	m, stubPort := bootKernelStub(t, kernel, p, "kgdb=run", "runall uspin uspin")
	_, proxyPort, log := startProxy(t, copslab, stubPort, "--kernel", kernel)
	// The proxy reads the kernel's thread table, coroutine globals and
	// Locals through the stub at every stop, byte by byte over the UART:
	// a reply can take longer than gdb's default 2 s.
	out := runGDBBatch(t, gdb, kernel,
		"set remotetimeout 60",
		"target remote 127.0.0.1:"+strconv.Itoa(proxyPort),
		"break 'copslab/kernel/ktrace.(*Ring).put'",
		"continue", "continue", "continue",
		"info threads",
		"detach")
	for _, want := range []string{
		`Thread 1 hit Breakpoint 1, copslab/kernel/ktrace\.\(\*Ring\)\.put`,
		`\n +\d+ +Thread \d+ \(pid \d+ \(uspin\) tid \d+ \w+ prio \d+\)`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("gdb output lacks %s\nproxy log:\n%s", want, log.String())
		}
	}
	// The proxy answers gdb's detach itself and leaves its target halted
	// (for QEMU's stub as for this one); the test's cleanup ends QEMU.
	// (gdb's kill through the proxy races the proxy's own end with its
	// stub's: gdb may see the connection close before the reply.)
	if _, err := m.Expect(regexp.MustCompile(`powering off`), time.Second); err == nil {
		t.Errorf("the kernel powered off after gdb detached through the proxy:\n%s", m.Output())
	}
}

// TestKernelStubBadRequests: the kernel's stub answers malformed or
// forbidden requests with an error (or the empty "unsupported" reply)
// and loses nothing — a packet with a bad checksum is refused with '-',
// memory outside RAM (device registers included: reads have side
// effects) is refused, bad registers and breakpoints too — and after
// gdb detaches the kernel runs its workload to the end. The first packet
// is sent as soon as QEMU listens, so it may arrive before the stub is
// armed and stop the kernel ahead of kgdb=wait's own break — which then
// must not hold the kernel again once gdb has let it go.
func TestKernelStubBadRequests(t *testing.T) {
	kernel, p := sifiveImage(t)
	port := freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: live.KernelStubOption + " runall pyield pyield",
		Extra: live.KernelStubArgs(port)})...)
	var raw net.Conn
	var err error
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if raw, err = net.Dial("tcp", addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	raw.SetDeadline(time.Now().Add(time.Minute))
	if _, err := raw.Write([]byte("$m80000000,4#00")); err != nil { // its checksum is 55
		t.Fatal(err)
	}
	var b [1]byte
	if _, err := io.ReadFull(raw, b[:]); err != nil || b[0] != '-' {
		t.Fatalf("bad checksum answered %q (%v), want '-'", b[:], err)
	}
	raw.Close()

	c, err := client.Dial(addr, client.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, r := range []struct{ req, want string }{
		{"m0,4", "E14"},           // below RAM
		{"m10010000,4", "E14"},    // the console UART: not read
		{"m2000000,3", "E14"},     // the CLINT only as aligned words
		{"M1000,1:00", "E14"},     // write outside RAM
		{"M80000000,2:zz", "E01"}, // not hex
		{"pc8", "E01"},            // no register 200
		{"G00", "E01"},            // too short
		{"Z0,1000,4", "E01"},      // breakpoint outside RAM
		{"Z0,80000000,3", "E01"},  // bad length
		{"Z2,80000000,4", ""},     // watchpoints: unsupported
		{"qNoSuchQuery", ""},      // unknown
		{"qXfer:features:read:other.xml:0,100", "E00"},
		{"m80000000,4", "[0-9a-f]{8}"}, // RAM still reads
		{"m2000000,4", "[0-9a-f]{8}"},  // CLINT word (msip)
	} {
		reply, err := c.Exchange(r.req, r.req)
		got := string(reply)
		var ce *client.Error
		if errors.As(err, &ce) && errors.Is(err, client.ErrRemote) {
			got = fmt.Sprintf("E%02x", ce.Code)
		} else if errors.Is(err, client.ErrUnsupported) {
			got = ""
		} else if err != nil {
			t.Fatalf("%s: %v", r.req, err)
		}
		if !regexp.MustCompile("^" + r.want + "$").MatchString(got) {
			t.Errorf("%s answered %q, want %s", r.req, got, r.want)
		}
	}
	if err := c.Detach(); err != nil {
		t.Fatal(err)
	}
	expect(t, m, `copslab: kgdb: continued`)
	expect(t, m, `copslab: runall: 2 processes`)
	wantExit(t, m, 0)
}
