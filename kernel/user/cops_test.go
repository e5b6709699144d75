package user

import "testing"

// The coroutine programs under qemu-user: no copslab vDSO and no
// AT_COPS_LOCAL there, so package cops runs its own copy of the
// scheduler on a Local in the program's memory (the kernel tests boot
// them with the vDSO: kernel/copsuser_test.go).

func TestCoyield(t *testing.T) {
	needQemu(t)
	r := run(t, "coyield", runOpts{}, "-n", "200")
	if r.code != 0 {
		t.Errorf("exit %d, stdout %s stderr %s", r.code, r.stdout, r.stderr)
	}
	expectLine(t, "coyield", r.stdout, `coyield: Local in the program's own memory .*; no copslab vDSO: .*`)
	expectLine(t, "coyield", r.stdout, `coyield: coroutine switch: \d+ instructions \(step functions\), \d+ \(iter\.Pull\) \(400 switches each\)`)
	expectLine(t, "coyield", r.stdout, `coyield: priority change: \d+ instructions \(SetPrio of a ready coroutine, no system call\)`)
	expectLine(t, "coyield", r.stdout, `coyield: woken by Post after [1-9]\d* sleeps: ok`)
}

func TestCoprio(t *testing.T) {
	needQemu(t)
	r := run(t, "coprio", runOpts{}, "-lines", "2")
	if r.code != 0 {
		t.Errorf("exit %d, stdout %s stderr %s", r.code, r.stdout, r.stderr)
	}
	expectLine(t, "coprio", r.stdout, `coprio:    0     1    2 +\d+`)
	expectLine(t, "coprio", r.stdout, `coprio:    7    15   16 +\d+`)
	expectLine(t, "coprio", r.stdout, `coprio: order follows priority: ok`)
	expectLine(t, "coprio", r.stdout, `coprio: 20 of 20 bursts served in priority order; the executor slept \d+ times`)
}
