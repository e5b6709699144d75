package live

import (
	"testing"
	"time"

	"copslab/sched"
)

// TestNextDecisionWaitsForABusyKernel: a wait far shorter than the boot
// still ends at the first decision, because the kernel was busy (never
// idle in wfi) all the while; a kernel idle with nothing to run (the
// test kernel has no init) ends the step after about the wait.
func TestNextDecisionWaitsForABusyKernel(t *testing.T) {
	kernel, p := testKernel(t)
	k := open(t, kernel, p, "run threads")
	evs, err := k.NextDecision(time.Millisecond)
	if err != nil || len(evs) == 0 || evs[0].Cause != sched.CauseSpawn {
		t.Fatalf("first decision with a 1 ms wait: %+v, %v", evs, err)
	}
	idle := open(t, kernel, p, "")
	start := time.Now()
	evs, err = idle.NextDecision(200 * time.Millisecond)
	if err != nil || len(evs) != 0 {
		t.Fatalf("an idle kernel's step: %+v, %v", evs, err)
	}
	if d := time.Since(start); d > busyWait/2 {
		t.Errorf("an idle kernel's step took %v: it was taken for busy", d)
	}
	t.Logf("idle kernel's step: %v; console:\n%s", time.Since(start), idle.Console())
}
