package executor

import (
	"fmt"
	"testing"

	"copslab/sched"
)

// TestDecideDoesNotAllocate: a steady-state decision (no process killed)
// allocates nothing, so the kernel can run it at every trap.
func TestDecideDoesNotAllocate(t *testing.T) {
	r := newRig(t, 8)
	for p := uint16(1); p <= 8; p++ {
		r.spawnUser(p, uint8(p%3))
	}
	r.x.Spawn(sched.KindKernelSyscall, 1, func(uint64, uint32) Action { return Yield })
	allocs := testing.AllocsPerRun(1000, func() {
		r.x.Decide(0, all, Tick)
		r.x.Decide(0, all, Trap)
	})
	if allocs != 0 {
		t.Fatalf("Decide allocates %v times per call pair", allocs)
	}
}

// BenchmarkDecide is one kernel decision at a tick with n user processes
// of equal priority (so every decision places a new one).
func BenchmarkDecide(b *testing.B) {
	for _, n := range []int{1, 63} {
		b.Run(fmt.Sprintf("procs=%d", n), func(b *testing.B) {
			g, kl, ls := new(sched.Global), new(sched.Local), make([]sched.Local, n+1)
			now := uint64(0)
			x, err := New(g, kl, func() uint64 { now++; return now })
			if err != nil {
				b.Fatal(err)
			}
			for p := 1; p <= n; p++ {
				x.AddProc(uint16(p), &ls[p])
				ls[p].TryLock(9)
				ls[p].Spawn(sched.Ctx{}, sched.KindUser, 3, sched.NoWaker)
				ls[p].Fetch(sched.Ctx{})
				ls[p].Unlock(9)
			}
			evs := make([]sched.Event, sched.RingSize)
			b.ReportAllocs()
			for b.Loop() {
				x.Decide(0, all, Tick)
				if g.Pending() > sched.RingSize/2 {
					x.Drain(evs)
				}
			}
		})
	}
}
