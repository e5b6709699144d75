//go:build !copslab_bug_fifo && !copslab_bug_noboost

package sched

// Policy switches for the deliberately wrong test builds of the lessons
// (see policy_bugs.go). In every normal build both are false constants,
// so the compiler removes the branches they guard: the hot paths and the
// vDSO rules are unchanged.
const (
	// bugFIFO: every ready coroutine joins one queue (the worst
	// priority's), so a process runs its coroutines in arrival order
	// and its ready bitmap no longer says which priorities wait.
	bugFIFO = false
	// bugNoBoost: a pending user interrupt makes a process runnable at
	// the worst priority instead of boosting it to 0, so a better
	// process keeps the hart and the interrupt waits.
	bugNoBoost = false
)
