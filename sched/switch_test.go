package sched

import (
	"bytes"
	"math/rand"
	"testing"
)

// TestSwitchIsYieldFetch: on the same random histories, Switch gives the
// same result and leaves the same bytes (queues, states, events) as
// Yield followed by Fetch; on an error (not locked, stale or foreign id,
// a coroutine that is not Running) it returns Yield's error and changes
// nothing.
func TestSwitchIsYieldFetch(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		var a, b Local
		a.Init(3)
		b.Init(3)
		tag := LockTag(0, true)
		a.TryLock(tag)
		b.TryLock(tag)
		var ids []uint32
		switches := 0
		for i := range 3000 {
			c := Ctx{Now: uint64(i)}
			switch op := rnd.Intn(6); op {
			case 0: // spawn on both
				p := uint8(rnd.Intn(NumPrio))
				ia, ea := a.Spawn(c, KindUser, p, NoCo)
				ib, eb := b.Spawn(c, KindUser, p, NoCo)
				if ia != ib || ea != eb {
					t.Fatalf("seed %d op %d: spawn differs", seed, i)
				}
				if ea == OK {
					ids = append(ids, ia)
				}
			case 1: // fetch on both
				a.Fetch(c)
				b.Fetch(c)
			case 2: // block or exit the current one on both
				if cur := a.Current(); cur != NoCo {
					if rnd.Intn(2) == 0 {
						a.Block(c, cur, 0)
						b.Block(c, cur, 0)
					} else {
						a.Exit(c, cur)
						b.Exit(c, cur)
					}
				}
			case 3: // wake a random one on both
				if len(ids) > 0 {
					id := ids[rnd.Intn(len(ids))]
					a.Wake(c, id, CauseWake, NoCo, 0)
					b.Wake(c, id, CauseWake, NoCo, 0)
				}
			default: // Switch on a, Yield+Fetch on b, with a good or a bad id
				id := a.Current()
				if id == NoCo || rnd.Intn(4) == 0 {
					id = rnd.Uint32()
					if len(ids) > 0 && rnd.Intn(2) == 0 {
						id = ids[rnd.Intn(len(ids))]
					}
				}
				before := append([]byte(nil), a.Bytes()...)
				got, ea := a.Switch(c, id)
				want, eb := NoCo, b.Yield(c, id)
				if eb == OK {
					want, eb = b.Fetch(c)
					switches++
				}
				if got != want || ea != eb {
					t.Fatalf("seed %d op %d: Switch(%#x) = %#x, %v; Yield+Fetch = %#x, %v", seed, i, id, got, ea, want, eb)
				}
				if ea != OK && !bytes.Equal(before, a.Bytes()) {
					t.Fatalf("seed %d op %d: failed Switch (%v) changed the Local", seed, i, ea)
				}
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatalf("seed %d op %d: the Locals differ", seed, i)
			}
		}
		if switches < 100 {
			t.Errorf("seed %d: only %d successful switches", seed, switches)
		}
	}
	var l Local
	l.Init(3)
	if _, e := l.Switch(Ctx{}, 1); e != ErrNotLocked {
		t.Errorf("Switch without the lock: %v", e)
	}
}
