package kernel_test

import "testing"

// TestUintrHandlerThroughVDSO: a user program runs the user-interrupt
// handler's machine code from the vDSO (uintr's Handle, Unlock and the
// handler entry's body) and its own compiled copy on two identical
// processes' pages, playing the kernel's part (records, a held lock so
// the handler defers); every byte must agree after each of 3,000 rounds
// (the program exits 1 otherwise), and the rounds must exercise wakes,
// stray records and deferral. With -icount the handler's cost is in
// guest instructions. The handler's C entry is also called once as a C
// function: it wakes, keeps s0–s10, and its uiret system call (outside a
// delivery) comes back with an error. The kernel's delivery is not wired
// yet.
func TestUintrHandlerThroughVDSO(t *testing.T) {
	m := bootIcount(t, "run vdsouintr -n 3000")
	g := expect(t, m, `vdsouintr: ok: 3000 rounds agree; (\d+) wakes, (\d+) stray, (\d+) deferred; handler (\d+) instructions through the vDSO`)
	t.Logf("%s", g[0])
	if atoi(t, g[1]) < 1000 || atoi(t, g[2]) < 100 || atoi(t, g[3]) < 300 {
		t.Errorf("too few wakes, strays or deferrals: %s", g[0])
	}
	t.Logf("%s", expect(t, m, `C entry: woke its coroutine, kept s0-s10, uiret answered -\d+`)[0])
	expect(t, m, `run vdsouintr: exited with status 0`)
	wantExit(t, m, 0)
}
