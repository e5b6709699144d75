package sched

import "testing"

// TestHotPathsDoNotAllocate runs a full cycle of every hot-path operation
// under testing.AllocsPerRun and fails if any of it allocates.
func TestHotPathsDoNotAllocate(t *testing.T) {
	r := newTestRegion(t)
	c := Ctx{Now: 1, Hart: 0}
	tag := uint32(testTag)
	allocs := testing.AllocsPerRun(1000, func() {
		id, _ := r.Spawn(c, 1, KindUser, 3, NoWaker)
		got, _ := r.Fetch(c, 1)
		r.Mark(c, got, CauseIOSubmit, NoWaker, 1)
		r.Block(c, got, 1)
		r.SetUintr(1, true)
		r.HighestProc()
		r.RunOn(0, 1)
		r.Wake(c, got, CauseUintr, NoWaker, 1)
		r.SetUintr(1, false)
		r.SetPrio(c, id, 5)
		got, _ = r.Fetch(c, 1)
		r.Suspend(c, got)
		r.Resume(c, got)
		r.Yield(c, got)
		got, _ = r.Fetch(c, 1)
		r.StateOf(got)
		r.Current(1)
		r.Exit(c, got)
		r.Leave(0)
		r.Unlock(tag)
		r.SpinLock(tag, 10)
	})
	if allocs != 0 {
		t.Fatalf("hot paths allocate: %v allocations per cycle", allocs)
	}
	if r.Live != 0 || r.Seq == 0 {
		t.Fatalf("cycle did not run as expected: live %d seq %d", r.Live, r.Seq)
	}
}

// BenchmarkSpawnFetchExit measures one coroutine's whole life in the region.
func BenchmarkSpawnFetchExit(b *testing.B) {
	r := newTestRegion(b)
	c := Ctx{}
	b.ReportAllocs()
	for b.Loop() {
		r.Spawn(c, 1, KindUser, 3, NoWaker)
		id, _ := r.Fetch(c, 1)
		r.Exit(c, id)
	}
}

// BenchmarkYieldFetch is the scheduler's part of one coroutine switch.
func BenchmarkYieldFetch(b *testing.B) {
	r := newTestRegion(b)
	c := Ctx{}
	r.Spawn(c, 1, KindUser, 3, NoWaker)
	r.Spawn(c, 1, KindUser, 3, NoWaker)
	id, _ := r.Fetch(c, 1)
	b.ReportAllocs()
	for b.Loop() {
		r.Yield(c, id)
		id, _ = r.Fetch(c, 1)
	}
}
