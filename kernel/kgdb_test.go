package kernel_test

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// TestInKernelGDBStub debugs a user program through the kernel's own gdb
// stub (kernel/kgdb on gdbstub/server) over sifive_u's second UART, which
// QEMU connects to a TCP socket on 127.0.0.1 (-chardev socket): the way a
// board without JTAG is debugged. gdb-multiarch in batch mode reads
// registers, sets a breakpoint, continues to it, single-steps (stepi, and
// next over the function's prologue), runs to a temporary breakpoint past
// fmt.Println, lists the process's threads, and sees the program exit.
//
// Not `next` over fmt.Println: its write system call may let the Go
// runtime move the main goroutine to another OS thread (sysmon takes the P
// from a thread in a long system call), and gdb's step-resume breakpoint
// belongs to the thread it stepped, so gdb lets the goroutine run on to
// the end — as it does for any Go program on Linux. A breakpoint holds for
// every thread.
func TestInKernelGDBStub(t *testing.T) {
	m, gdb, hello, port := bootStub(t, "gdbstub hello a b")
	out := runGDBBatch(t, gdb, hello,
		"target remote 127.0.0.1:"+strconv.Itoa(port),
		"info registers pc sp",
		"break main.main",
		"continue",
		"info registers pc",
		"stepi",
		"info registers pc",
		"next",
		"tbreak main.go:16",
		"continue",
		"info threads",
		"continue")
	for _, want := range []string{
		`pc +0x[0-9a-f]+\s+0x[0-9a-f]+ <_rt0_riscv64_linux>`, // stopped before the first instruction
		`sp +0x3ffffe[0-9a-f]+`,                              // on the user stack
		`Thread 1 hit Breakpoint 1, main\.main \(\) at \S+hello/main\.go:14`,
		`\n15\s+fmt\.Println\("hello, world"\)`,                           // next: 14 → 15
		`Temporary breakpoint 2, main\.main \(\) at \S+hello/main\.go:16`, // past fmt.Println
		`\* \d+ +Thread \d+ \(tid \d+ runnable pc 0x[0-9a-f]+\)\s+main\.main \(\)`,
		`\[Inferior 1 \(Remote target\) exited normally\]`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("gdb output lacks %s", want)
		}
	}
	// The Go runtime's other threads are listed beside main's.
	if n := len(regexp.MustCompile(`(?m)^[ *]+\d+ +Thread \d+ \(tid \d+ (futex|runnable|sleeping|epoll)`).FindAllString(out, -1)); n < 2 {
		t.Errorf("info threads lists %d threads, want the runtime's threads too", n)
	}
	// pc at entry, at the breakpoint, after stepi: one instruction on.
	checkStepi(t, out)
	expect(t, m, `hello, world\s+arg 1: a\s+arg 2: b`)
	expect(t, m, `copslab: run hello: exited with status 0`)
	wantExit(t, m, 0)
}

// checkStepi checks gdb's three "info registers pc" lines: the second
// (at a breakpoint) and the third (after stepi) are one instruction apart.
func checkStepi(t *testing.T, out string) {
	t.Helper()
	pcs := regexp.MustCompile(`\npc +0x([0-9a-f]+)`).FindAllStringSubmatch(out, -1)
	if len(pcs) != 3 {
		t.Fatalf("want 3 pc lines, got %q", pcs)
	}
	bp, _ := strconv.ParseUint(pcs[1][1], 16, 64)
	step, _ := strconv.ParseUint(pcs[2][1], 16, 64)
	if step != bp+2 && step != bp+4 {
		t.Errorf("stepi went from %#x to %#x, want the next instruction", bp, step)
	}
}

// bootStub boots the sifive_u image with bootargs (a gdbstub mode) and its
// second UART on a TCP socket on 127.0.0.1 (the console stays on stdio);
// it returns the machine once the stub waits, gdb, the debugged program's
// ELF and the socket's port.
func bootStub(t *testing.T, bootargs string) (m *qemu.Machine, gdb, hello string, port int) {
	t.Helper()
	kernel, p := sifiveImage(t)
	gdb, err := exec.LookPath(p.GDB.Binary)
	if err != nil {
		t.Skipf("%s not installed: %v", p.GDB.Binary, err)
	}
	port = freePort(t)
	line := []string{"-serial", "mon:stdio",
		"-chardev", "socket,id=gdbline,host=127.0.0.1,port=" + strconv.Itoa(port) + ",server=on,wait=off,nodelay=on",
		"-serial", "chardev:gdbline"}
	m = boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: bootargs, Extra: line})...)
	expect(t, m, `copslab: gdbstub: hello \(pid \d+\) stopped at 0x[0-9a-f]+; gdb on the second UART`)
	hello = filepath.Join(filepath.Dir(kernel), "_"+filepath.Base(kernel)+".build", "progs", "hello")
	return m, gdb, hello, port
}

// runGDBBatch runs gdb-multiarch -batch on program with commands.
func runGDBBatch(t *testing.T, gdb, program string, cmds ...string) string {
	t.Helper()
	args := []string{"-q", "-batch", "-nx", program}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gdb, args...)
	out, err := cmd.CombinedOutput()
	t.Logf("$ %s\n%s", boards.ShellQuote(cmd.Args), out)
	if err != nil {
		t.Fatalf("gdb: %v", err)
	}
	return strings.ReplaceAll(string(out), "\r", "")
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestWorkbenchAttachesToInKernelStub puts the workbench between gdb and
// the kernel's stub: `copslab gdbproxy --target` attaches to the stub on
// the second UART, gdb-multiarch attaches to the proxy, and the proxy's
// log must show the session (thread list, breakpoint, kill answered).
func TestWorkbenchAttachesToInKernelStub(t *testing.T) {
	copslab := copslabBinary(t) // built first: QEMU's run is time-limited
	m, gdb, hello, stubPort := bootStub(t, "gdbstub hello")
	proxy, proxyPort, log := startProxy(t, copslab, stubPort)

	out := runGDBBatch(t, gdb, hello,
		"target remote 127.0.0.1:"+strconv.Itoa(proxyPort),
		"break main.main",
		"continue",
		"info threads",
		"kill")
	if !regexp.MustCompile(`Thread 1 hit Breakpoint 1, main\.main \(\)`).MatchString(out) {
		t.Errorf("gdb through the workbench's proxy did not reach the breakpoint")
	}
	wantExit(t, m, 137) // killed by gdb: 128 + SIGKILL
	proxy.Process.Kill()
	proxy.Wait()
	for _, want := range []string{`qfThreadInfo  =>  m1`, `Z0,[0-9a-f]+,4  =>  OK`, `qfThreadInfo  =>  m1,2`, `vKill;[0-9a-f]+  =>  OK`} {
		if !regexp.MustCompile(want).MatchString(log.String()) {
			t.Errorf("proxy log lacks %s:\n%s", want, log.String())
		}
	}
}

// startProxy runs `copslab gdbproxy [extra…]` between a free loopback
// port and the stub on stubPort; it returns once the proxy listens (the
// test ends it), with the port and the proxy's output.
func startProxy(t *testing.T, copslab string, stubPort int, extra ...string) (*exec.Cmd, int, *strings.Builder) {
	t.Helper()
	port := freePort(t)
	log := &strings.Builder{}
	args := append([]string{"gdbproxy", "--listen", "127.0.0.1:" + strconv.Itoa(port),
		"--target", "127.0.0.1:" + strconv.Itoa(stubPort)}, extra...)
	proxy := exec.Command(copslab, args...)
	proxy.Stdout, proxy.Stderr = log, log
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Process.Kill(); proxy.Wait() })
	waitListening(t, port)
	return proxy, port, log
}

// waitListening waits until something accepts on 127.0.0.1:port.
func waitListening(t *testing.T, port int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("nothing listens on 127.0.0.1:%d", port)
}
