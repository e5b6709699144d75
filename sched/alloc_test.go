package sched

import "testing"

// newLocal returns an initialised Local of process proc with its lock held.
func newLocal(t testing.TB, proc uint16) *Local {
	l := new(Local)
	l.Init(proc)
	if !l.TryLock(testTag) {
		t.Fatal("fresh Local lock busy")
	}
	return l
}

// TestHotPathsDoNotAllocate runs a full cycle of every hot-path operation
// (a process's Local and the kernel's Global, called directly as the vDSO
// and the kernel call them) under testing.AllocsPerRun and fails if any of
// it allocates.
func TestHotPathsDoNotAllocate(t *testing.T) {
	l := newLocal(t, 1)
	g := new(Global)
	g.Init()
	g.TryLock(testTag)
	must(t, g.AddProc(1))
	c := Ctx{Now: 1, Hart: 0}
	tag := uint32(testTag)
	allocs := testing.AllocsPerRun(1000, func() {
		id, _ := l.Spawn(c, KindUser, 3, NoWaker)
		got, _ := l.Fetch(c)
		l.Mark(c, got, CauseIOSubmit, NoWaker, 1)
		l.Block(c, got, 1)
		g.SetUintr(1, true)
		g.Sample(1, l)
		g.Collect(1, l, 1)
		g.HighestProc()
		g.RunOn(0, 1)
		l.Wake(c, got, CauseUintr, NoWaker, 1)
		g.SetUintr(1, false)
		l.SetPrio(c, id, 5)
		got, _ = l.Fetch(c)
		l.Suspend(c, got)
		l.Resume(c, got)
		l.Yield(c, got)
		got, _ = l.Fetch(c)
		l.StateOf(got)
		l.Current()
		l.Prio()
		l.Exit(c, got)
		g.Leave(0)
		l.Unlock(tag)
		l.SpinLock(tag, 10)
		g.Unlock(tag)
		g.SpinLock(tag, 10)
	})
	if allocs != 0 {
		t.Fatalf("hot paths allocate: %v allocations per cycle", allocs)
	}
	if l.Live != 0 || l.Seq == 0 || g.Seq == 0 {
		t.Fatalf("cycle did not run as expected: live %d seq %d/%d", l.Live, l.Seq, g.Seq)
	}
}

// BenchmarkSpawnFetchExit measures one coroutine's whole life in a Local.
func BenchmarkSpawnFetchExit(b *testing.B) {
	l := newLocal(b, 1)
	c := Ctx{}
	b.ReportAllocs()
	for b.Loop() {
		l.Spawn(c, KindUser, 3, NoWaker)
		id, _ := l.Fetch(c)
		l.Exit(c, id)
	}
}

// twoAtThree returns a Local with two coroutines at priority 3, one of
// them running (its id), for the switch benchmarks.
func twoAtThree(b *testing.B) (*Local, uint32) {
	l := newLocal(b, 1)
	l.Spawn(Ctx{}, KindUser, 3, NoWaker)
	l.Spawn(Ctx{}, KindUser, 3, NoWaker)
	id, _ := l.Fetch(Ctx{})
	b.ReportAllocs()
	return l, id
}

// BenchmarkYieldFetch is the scheduler's part of one coroutine switch.
func BenchmarkYieldFetch(b *testing.B) {
	l, id := twoAtThree(b)
	for b.Loop() {
		l.Yield(Ctx{}, id)
		id, _ = l.Fetch(Ctx{})
	}
}

// BenchmarkSwitch is the same switch as BenchmarkYieldFetch in one
// Switch call (one switch record instead of two events).
func BenchmarkSwitch(b *testing.B) {
	l, id := twoAtThree(b)
	for b.Loop() {
		id, _ = l.Switch(Ctx{}, id)
	}
}

// BenchmarkDecision is the kernel's part of one decision with 63 user
// processes: sample and collect every process, then pick.
func BenchmarkDecision(b *testing.B) {
	g := new(Global)
	g.Init()
	g.TryLock(testTag)
	ls := make([]Local, MaxProcs)
	for p := uint16(1); p < MaxProcs; p++ {
		g.AddProc(p)
		ls[p].Init(p)
		ls[p].TryLock(testTag)
		ls[p].Spawn(Ctx{}, KindUser, uint8(p%NumPrio), NoWaker)
		ls[p].Unlock(testTag)
	}
	b.ReportAllocs()
	for b.Loop() {
		for p := uint16(1); p < MaxProcs; p++ {
			g.Collect(p, &ls[p], 1)
			g.Sample(p, &ls[p])
		}
		g.HighestProc()
	}
}
