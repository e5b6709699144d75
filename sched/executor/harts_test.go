package executor

import (
	"math/rand"
	"testing"

	"copslab/sched"
)

// TestTwoHarts makes random decisions on two harts with different
// affinities while processes change priority and kernel coroutines come
// and go; one kernel step decides for the other hart from inside (as a
// second hart would while the first runs kernel work), which must place
// user work directly. After every decision the kernel's Global decodes
// (every invariant DecodeGlobal checks: one hart per process, records and
// hart table agree, global priorities match), no process runs on a hart
// its mask excludes, and a RunUser decision names the process on that
// hart.
func TestTwoHarts(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	r := newRig(t, 6)
	ucos := map[uint16]uint32{}
	for p := uint16(1); p <= 6; p++ {
		ucos[p] = r.spawnUser(p, uint8(rng.Intn(4)))
	}
	masks := [2]uint64{0b0011110, 0b1111000} // hart 0: 1..4, hart 1: 3..6
	nested := 0
	for i := 0; i < 5000; i++ {
		switch rng.Intn(6) {
		case 0:
			prio := uint8(rng.Intn(sched.NumPrio))
			if rng.Intn(4) == 0 {
				r.x.Spawn(sched.KindKernelSyscall, prio, func(uint64, uint32) Action {
					d := r.x.Decide(1, masks[1], Trap)
					if d.Outcome == RunKernel {
						t.Fatalf("a second hart ran kernel work while the first did: %+v", d)
					}
					nested++
					return Exit
				})
			} else {
				r.x.Spawn(sched.KindKernelSyscall, prio, func(uint64, uint32) Action { return Action(rng.Intn(3)) })
			}
		case 1:
			p := uint16(1 + rng.Intn(6))
			prio := uint8(rng.Intn(sched.NumPrio))
			r.user(p, func(l *sched.Local) { l.SetPrio(sched.Ctx{Now: r.now}, ucos[p], prio) })
		default:
			h := uint8(rng.Intn(2))
			d := r.x.Decide(h, masks[h], Reason(rng.Intn(3)))
			if d.Outcome == RunUser && r.g.HartProc[h] != d.Proc {
				t.Fatalf("decision %d: hart %d told to run %d, hart table says %d", i, h, d.Proc, r.g.HartProc[h])
			}
		}
		for h := 0; h < 2; h++ {
			if p := r.g.HartProc[h]; p != sched.NoProc && masks[h]&(1<<p) == 0 {
				t.Fatalf("op %d: hart %d runs process %d outside its mask", i, h, p)
			}
		}
		if _, err := sched.DecodeGlobal(r.g.Bytes()); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
	}
	if nested < 20 {
		t.Fatalf("only %d nested decisions", nested)
	}
}
