package kernel_test

import (
	"testing"
)

// runTimenow boots `run timenow ARGS` and returns the system calls the
// kernel counted for the process and the program's result line.
func runTimenow(t *testing.T, args string) (syscalls int, result []string) {
	t.Helper()
	m := bootProfile(t, "run timenow "+args)
	result = expect(t, m, `timenow: (\d+) calls(: time\.Now (\d+) instructions (\d+) cycles)?(; clock_gettime system call (\d+) instructions (\d+) cycles)?\r?\n`)
	g := expect(t, m, `run timenow: exited with status 0 after (\d+) system calls`)
	wantExit(t, m, 0)
	return atoi(t, g[1]), result
}

// TestTimeNowNoEcall: time.Now in a Go program goes through the vDSO.
// 20,000 calls add (almost) no system calls to the program's own: the
// runtime's background work (sysmon's sleeps) makes a few more in the
// longer run, while without the vDSO each call would make two
// (walltime and nanotime), 40,000 in all.
func TestTimeNowNoEcall(t *testing.T) {
	base, _ := runTimenow(t, "-n 0")
	calls, r := runTimenow(t, "-n 20000 -sys=false")
	t.Logf("system calls: %d with no time.Now, %d with 20000; %s", base, calls, r[0])
	if calls-base > 200 {
		t.Errorf("20000 time.Now calls added %d system calls (want < 200: the vDSO is not used)", calls-base)
	}
	if r[3] == "" {
		t.Errorf("no measurement: %q", r[0])
	}
}

// TestTimeNowAgreesWithSyscall: the program's check that a system
// call's CLOCK_REALTIME lies between two vDSO readings and that time.Now
// never goes backwards (it exits 1 otherwise), and the cost of both
// paths in guest instructions.
func TestTimeNowAgreesWithSyscall(t *testing.T) {
	_, r := runTimenow(t, "-n 2000")
	if r[7] == "" {
		t.Fatalf("no system call measurement: %q", r[0])
	}
	vdso, sys := atoi(t, r[3]), atoi(t, r[7])
	t.Logf("%s", r[0])
	if vdso >= sys {
		t.Errorf("time.Now through the vDSO costs %d instructions, the system call %d", vdso, sys)
	}
}
