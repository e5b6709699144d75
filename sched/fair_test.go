package sched

import (
	"math/rand"
	"testing"
)

// TestFairAmongEqualsWithInterleaving: three processes share priority 3
// while a priority-0 process is placed on another hart between every two
// of their placements. Each of the three must get a third of the
// placements; with one cursor shared by every placement, the interleaved
// placement moved the cursor past all of them and process 1 won every time.
func TestFairAmongEqualsWithInterleaving(t *testing.T) {
	r := newTestRegion(t)
	must(t, r.AddProc(4))
	for p := uint16(1); p <= 3; p++ {
		mustSpawn(t, r, p, 3)
	}
	mustSpawn(t, r, 4, 0)
	const rounds = 300
	count := map[uint16]int{}
	for i := 0; i < rounds; i++ {
		p, prio := r.HighestProcMask(0b1110) // hart 0 may run 1..3
		if prio != 3 {
			t.Fatalf("round %d: placed %d at priority %d", i, p, prio)
		}
		must(t, r.RunOn(0, p))
		count[p]++
		must(t, r.Leave(0))
		q, _ := r.HighestProcMask(1 << 4) // hart 1 runs process 4
		must(t, r.RunOn(1, q))
		must(t, r.Leave(1))
	}
	for p := uint16(1); p <= 3; p++ {
		if count[p] != rounds/3 {
			t.Fatalf("placements %v, want %d each", count, rounds/3)
		}
	}
}

// TestFairRandomInterleaving places processes of several priorities in a
// random order on random harts (each with its own affinity) and checks the
// fairness bound: while a group of equal-priority processes stays the
// best a hart may run, none of them waits more than the group's size of
// that hart's placements from the group.
func TestFairRandomInterleaving(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	r := newTestRegion(t)
	for p := uint16(4); p <= 12; p++ {
		must(t, r.AddProc(p))
	}
	// Processes 1..6 at priority 5 (the group); 7..12 at random priorities
	// 0..7 that other harts place in between.
	for p := uint16(1); p <= 12; p++ {
		prio := uint8(5)
		if p > 6 {
			prio = uint8(rng.Intn(NumPrio))
		}
		mustSpawn(t, r, p, prio)
	}
	const group = 0b111_1110 // processes 1..6
	wait := map[uint16]int{}
	for i := 0; i < 20000; i++ {
		if rng.Intn(3) > 0 {
			hart := uint8(1 + rng.Intn(MaxHarts-1))
			mask := uint64(rng.Int63()) &^ group
			if q, prio := r.HighestProcMask(mask); prio != Idle {
				must(t, r.RunOn(hart, q))
				must(t, r.Leave(hart))
			}
			continue
		}
		p, prio := r.HighestProcMask(group)
		if prio != 5 {
			t.Fatalf("group placement %d at priority %d", p, prio)
		}
		must(t, r.RunOn(0, p))
		must(t, r.Leave(0))
		for q := uint16(1); q <= 6; q++ {
			if q == p {
				wait[q] = 0
				continue
			}
			if wait[q]++; wait[q] >= 6 {
				t.Fatalf("placement %d: process %d not placed in its last %d group placements", i, q, wait[q])
			}
		}
	}
}
