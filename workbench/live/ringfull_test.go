package live

import (
	"testing"
	"time"

	"copslab/kernel/ktrace"
)

// TestKernelStopsBeforeTheRingFills streams ~100,000 events in slices of
// 10 s — far more than the ring holds between two halts — and loses
// none: the kernel stops itself on the breakpoint at ktrace's nearlyFull
// each time its ring is three quarters full.
func TestKernelStopsBeforeTheRingFills(t *testing.T) {
	kernel, p := testKernel(t)
	k := open(t, kernel, p, "run pipeping -n 2000")
	if k.fullPC == 0 {
		t.Fatalf("no breakpoint on %s", ktrace.NearlyFullSymbol)
	}
	var n, full int
	deadline := time.Now().Add(3 * time.Minute)
	for ended := false; !ended; ended, _, _ = k.Ended() {
		evs, err := k.RunFor(10 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		n += len(evs)
		if len(evs) == ktrace.NearlyFull {
			full++
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running after 3 min, %d events", n)
		}
	}
	if k.Ring.Lost != 0 || k.Ring.Peak > ktrace.NearlyFull || full == 0 {
		t.Errorf("%d events, %d lost, fullest read %d, %d reads at the nearly-full stop", n, k.Ring.Lost, k.Ring.Peak, full)
	}
	t.Logf("%d events, %d lost, %d reads at the nearly-full stop", n, k.Ring.Lost, full)
}
