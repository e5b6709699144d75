package kernel_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// bootIcount boots the board profile's machine with `-icount shift=0`:
// one guest instruction per nanosecond of guest time, so instruction
// counts and the guest's clock do not depend on how busy the host is.
func bootIcount(t testing.TB, appendArgs string) *qemu.Machine {
	t.Helper()
	kernel := kernelImage(t)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return boot(t, append(p.QEMUArgs(kernel, boards.RunOptions{Append: appendArgs}), "-icount", "shift=0")...)
}

// bootIcountStub is bootIcount halted until a debugger attaches to
// QEMU's gdb stub on the returned loopback port.
func bootIcountStub(t testing.TB, appendArgs string) (*qemu.Machine, int) {
	t.Helper()
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	return boot(t, p.QEMUArgs(kernelImage(t), boards.RunOptions{Append: appendArgs, Debug: true, GDBPort: port,
		Extra: []string{"-icount", "shift=0"}})...), port
}

// runTimenow boots `run ARGS` (timenow) with -icount and returns the
// system calls the kernel counted for the process and the program's
// result line.
func runTimenow(t *testing.T, args string) (syscalls int, result []string) {
	t.Helper()
	m := bootIcount(t, "run "+args)
	result = expect(t, m, `timenow: (\d+) calls(: time\.Now (\d+) instructions (\d+) cycles)?(; clock_gettime system call (\d+) instructions (\d+) cycles)?\r?\n`)
	g := expect(t, m, `run timenow: exited with status 0 after (\d+) system calls`)
	wantExit(t, m, 0)
	return atoi(t, g[1]), result
}

// TestTimeNowNoEcall: time.Now in a Go program goes through the vDSO.
// 5,000 calls add (almost) no system calls to the program's own: the
// runtime's background work (sysmon's sleeps, at most one per 10 ms of
// guest time once idle) makes a few more in the longer run — 3 with
// -icount — while without the vDSO each call makes two (walltime and
// nanotime), 10,000 in all. The bound, one per ten calls, is far from
// both.
func TestTimeNowNoEcall(t *testing.T) {
	base, _ := runTimenow(t, "timenow -n 0")
	calls, r := runTimenow(t, "timenow -n 5000 -sys=false")
	t.Logf("system calls: %d with no time.Now, %d with 5000; %s", base, calls, r[0])
	if calls-base > 500 {
		t.Errorf("5000 time.Now calls added %d system calls (want ≤ 500: the vDSO is not used)", calls-base)
	}
	if r[3] == "" {
		t.Errorf("no measurement: %q", r[0])
	}
	// The control: the same program with no vDSO mapped traps twice
	// per call, which this test would see.
	trapped, _ := runTimenow(t, "-novdso timenow -n 5000 -sys=false")
	t.Logf("without the vDSO: %d system calls", trapped)
	if trapped-base < 10000 {
		t.Errorf("without the vDSO 5000 time.Now calls added only %d system calls", trapped-base)
	}
}

// TestTimeNowAgreesWithSyscall: the program's check that a system
// call's CLOCK_REALTIME lies between two vDSO readings and that time.Now
// never goes backwards (it exits 1 otherwise), and the cost of both
// paths in guest instructions.
func TestTimeNowAgreesWithSyscall(t *testing.T) {
	_, r := runTimenow(t, "timenow -n 2000")
	if r[7] == "" {
		t.Fatalf("no system call measurement: %q", r[0])
	}
	vdso, sys := atoi(t, r[3]), atoi(t, r[7])
	t.Logf("%s", r[0])
	if vdso >= sys {
		t.Errorf("time.Now through the vDSO costs %d instructions, the system call %d", vdso, sys)
	}
}

// TestVDSOCEntries: a program calls the C entry points itself, as a C
// library would: __vdso_gettimeofday (with and without arguments; Go's
// runtime never calls it) and __vdso_clock_gettime for two coarse clocks
// and one it hands to the kernel (the fallback system call). Results
// must lie between readings of the other clocks, and every C
// callee-saved register must survive (the program loads s0–s10 with
// patterns around the call). Dropping the entries' register saves makes
// it report "clobbered callee-saved registers 0x3" (s0, s1).
func TestVDSOCEntries(t *testing.T) {
	m := bootIcount(t, "run timenow -abi")
	expect(t, m, `timenow: C entry points ok`)
	expect(t, m, `run timenow: exited with status 0`)
	wantExit(t, m, 0)
}

// TestSchedThroughVDSO: a user program calls the scheduler's machine
// code in the vDSO (found through AT_SYSINFO_EHDR and its dynamic
// symbols) and its own compiled copy with the same 20,000 random
// operations; every result and every byte of the two Locals must agree
// (the program exits 1 otherwise), and enough of them must succeed to
// exercise more than the error paths. With -icount the logged switch
// costs are guest instructions.
func TestSchedThroughVDSO(t *testing.T) {
	m := bootIcount(t, "run vdsosched -n 20000")
	g := expect(t, m, `vdsosched: ok: 20000 operations agree, (\d+) of them succeeded \((\d+) exports at 0x[0-9a-f]+\); Yield\+Fetch: (\d+) instructions through the vDSO, (\d+) direct`)
	t.Logf("%s", g[0])
	if atoi(t, g[1]) < 1000 {
		t.Errorf("only %s operations succeeded", g[1])
	}
	expect(t, m, `run vdsosched: exited with status 0`)
	wantExit(t, m, 0)
}

// BenchmarkTimeNow boots the kernel with `-icount shift=0` (one guest
// instruction per tick: deterministic counts) and reports what one
// time.Now costs in retired instructions through the vDSO and without
// it (-novdso: two system calls), and one raw clock_gettime system
// call. One boot per measurement; b.N does not matter.
//
//	go test ./kernel -run '^$' -bench TimeNow -benchtime 1x
func BenchmarkTimeNow(b *testing.B) {
	measure := func(appendArgs string) []string {
		m := bootIcount(b, appendArgs)
		re := regexp.MustCompile(`timenow: (\d+) calls: time\.Now (\d+) instructions \d+ cycles(; clock_gettime system call (\d+) instructions)?`)
		s, err := m.Expect(re, 120*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		return re.FindStringSubmatch(s)
	}
	for range b.N {
		with := measure("run timenow -n 10000")
		without := measure("run -novdso timenow -n 10000 -sys=false")
		num := func(s string) float64 { v, _ := strconv.Atoi(s); return float64(v) }
		b.ReportMetric(num(with[2]), "vdso-instr/time.Now")
		b.ReportMetric(num(without[2]), "syscall-instr/time.Now")
		b.ReportMetric(num(with[4]), "instr/clock_gettime-ecall")
	}
}
