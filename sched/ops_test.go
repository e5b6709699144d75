package sched

import (
	"errors"
	"testing"
)

const testTag = 1

// newTestRegion returns an initialised region with processes 1..3 in use
// and the lock held.
func newTestRegion(t testing.TB) *Region {
	r := new(Region)
	r.Init()
	if !r.TryLock(testTag) {
		t.Fatal("fresh region lock busy")
	}
	for p := uint16(1); p <= 3; p++ {
		if e := r.AddProc(p); e != OK {
			t.Fatal(e)
		}
	}
	return r
}

func must(t *testing.T, e Errno) {
	t.Helper()
	if e != OK {
		t.Fatal(e)
	}
}

func mustSpawn(t *testing.T, r *Region, proc uint16, prio uint8) uint32 {
	t.Helper()
	id, e := r.Spawn(Ctx{}, proc, KindUser, prio, NoWaker)
	must(t, e)
	return id
}

func TestLifecycle(t *testing.T) {
	r := newTestRegion(t)
	c := Ctx{Now: 100, Hart: 2}
	a := mustSpawn(t, r, 1, 5)
	b := mustSpawn(t, r, 1, 2)
	if got := r.ProcPrio[1]; got != 2 {
		t.Fatalf("global priority %d, want 2 (best ready)", got)
	}
	id, e := r.Fetch(c, 1)
	must(t, e)
	if id != b {
		t.Fatalf("fetched %#x, want the priority-2 coroutine %#x", id, b)
	}
	if _, e := r.Fetch(c, 1); e != ErrBusy {
		t.Fatalf("second fetch: %v, want ErrBusy", e)
	}
	must(t, r.Block(c, b, 9))
	if r.ProcPrio[1] != 5 {
		t.Fatalf("global priority %d after block, want 5", r.ProcPrio[1])
	}
	must(t, r.Wake(c, b, CauseUintr, NoWaker, 9))
	id, _ = r.Fetch(c, 1)
	must(t, r.Suspend(c, id))
	if _, e := r.Fetch(c, 1); e != ErrBusy {
		t.Fatalf("fetch with a suspended coroutine: %v, want ErrBusy", e)
	}
	must(t, r.Resume(c, id))
	must(t, r.Exit(c, id))
	if _, e := r.StateOf(b); e != ErrBadID {
		t.Fatalf("exited id still live: %v", e)
	}
	id, _ = r.Fetch(c, 1)
	if id != a {
		t.Fatalf("fetched %#x, want %#x", id, a)
	}
	must(t, r.Yield(c, a))
	if r.Pending() != 11 {
		t.Fatalf("%d events, want 11", r.Pending())
	}
	ev := r.Ring[(r.Seq-1)&(RingSize-1)]
	if ev.Cause != CauseYield || ev.From != Running || ev.To != Ready || ev.Time != 100 || ev.Hart != 2 || ev.Co != a {
		t.Fatalf("last event %+v", ev)
	}
}

func TestFIFOWithinPriority(t *testing.T) {
	r := newTestRegion(t)
	var ids []uint32
	for i := 0; i < 5; i++ {
		ids = append(ids, mustSpawn(t, r, 2, 4))
	}
	for _, want := range ids {
		got, e := r.Fetch(Ctx{}, 2)
		must(t, e)
		if got != want {
			t.Fatalf("fetched %#x, want %#x", got, want)
		}
		must(t, r.Exit(Ctx{}, got))
	}
	if _, e := r.Fetch(Ctx{}, 2); e != ErrEmpty {
		t.Fatalf("empty fetch: %v", e)
	}
}

func TestSetPrioMovesReady(t *testing.T) {
	r := newTestRegion(t)
	a := mustSpawn(t, r, 1, 6)
	b := mustSpawn(t, r, 1, 6)
	must(t, r.SetPrio(Ctx{}, b, 1))
	if r.ProcPrio[1] != 1 {
		t.Fatalf("global priority %d", r.ProcPrio[1])
	}
	got, _ := r.Fetch(Ctx{}, 1)
	if got != b {
		t.Fatalf("fetched %#x, want re-prioritised %#x", got, b)
	}
	_ = a
}

func TestIllegalTransitionsLeaveStateIntact(t *testing.T) {
	r := newTestRegion(t)
	a := mustSpawn(t, r, 1, 3)
	before := string(r.Bytes())
	c := Ctx{}
	cases := []struct {
		name string
		e    Errno
		want Errno
	}{
		{"yield ready", r.Yield(c, a), ErrBadState},
		{"block ready", r.Block(c, a, 0), ErrBadState},
		{"exit ready", r.Exit(c, a), ErrBadState},
		{"wake ready", r.Wake(c, a, CauseWake, NoWaker, 0), ErrBadState},
		{"wake bad cause", r.Wake(c, a, CauseFetch, NoWaker, 0), ErrBadCause},
		{"suspend ready", r.Suspend(c, a), ErrBadState},
		{"resume ready", r.Resume(c, a), ErrBadState},
		{"setprio 8", r.SetPrio(c, a, 8), ErrBadPrio},
		{"stale id", r.Yield(c, a+1<<genShift), ErrBadID},
		{"never used", r.Yield(c, 77), ErrBadID},
		{"mark bad cause", r.Mark(c, a, CauseExit, NoWaker, 0), ErrBadCause},
		{"spawn unused proc", errnoOf(r.Spawn(c, 9, KindUser, 0, NoWaker)), ErrBadProc},
		{"spawn proc out of range", errnoOf(r.Spawn(c, 500, KindUser, 0, NoWaker)), ErrBadProc},
		{"spawn bad prio", errnoOf(r.Spawn(c, 1, KindUser, 8, NoWaker)), ErrBadPrio},
		{"spawn bad kind", errnoOf(r.Spawn(c, 1, NumKinds, 0, NoWaker)), ErrBadKind},
		{"fetch unused proc", errnoOf(r.Fetch(c, 40)), ErrBadProc},
		{"run on bad hart", r.RunOn(MaxHarts, 1), ErrBadHart},
		{"leave bad hart", r.Leave(MaxHarts), ErrBadHart},
	}
	for _, tc := range cases {
		if tc.e != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.e, tc.want)
		}
	}
	if string(r.Bytes()) != before {
		t.Fatal("a failed operation changed the region")
	}
	must(t, r.Unlock(testTag))
	if e := r.Yield(c, a); e != ErrNotLocked {
		t.Fatalf("op without the lock: %v", e)
	}
	if e := r.Unlock(testTag); e != ErrNotLocked {
		t.Fatalf("double unlock: %v", e)
	}
}

func errnoOf(_ uint32, e Errno) Errno { return e }

func TestFullAndSlotReuse(t *testing.T) {
	r := newTestRegion(t)
	var first uint32
	for i := 0; i < LocalCos; i++ {
		id := mustSpawn(t, r, 3, uint8(i%NumPrio))
		if i == 0 {
			first = id
		}
	}
	if _, e := r.Spawn(Ctx{}, 3, KindUser, 0, NoWaker); e != ErrFull {
		t.Fatalf("spawn into a full region: %v", e)
	}
	id, _ := r.Fetch(Ctx{}, 3)
	if id != first {
		t.Fatalf("fetched %#x, want %#x", id, first)
	}
	must(t, r.Exit(Ctx{}, id))
	again := mustSpawn(t, r, 3, 0)
	if slotOf(again) != slotOf(first) || again == first {
		t.Fatalf("reused slot id %#x, old %#x: want same slot, new generation", again, first)
	}
	if _, err := r.Snapshot(); err != nil {
		t.Fatal(err)
	}
}

func TestUintrBoostAndHighestProc(t *testing.T) {
	r := newTestRegion(t)
	mustSpawn(t, r, 1, 4)
	mustSpawn(t, r, 2, 6)
	p, prio := r.HighestProc()
	if p != 1 || prio != 4 {
		t.Fatalf("highest = %d p%d, want 1 p4", p, prio)
	}
	must(t, r.SetUintr(2, true))
	if p, prio = r.HighestProc(); p != 2 || prio != 0 {
		t.Fatalf("highest with uintr pending = %d p%d, want 2 p0", p, prio)
	}
	must(t, r.RunOn(0, 2))
	if p, _ = r.HighestProc(); p != 1 {
		t.Fatalf("a running process was chosen again: %d", p)
	}
	if p, _ = r.HighestProcMask(1 << 3); p != NoProc {
		t.Fatalf("mask ignored: %d", p)
	}
	must(t, r.SetUintr(2, false))
	r.Leave(0)
	if r.ProcPrio[2] != 6 {
		t.Fatalf("global priority after uintr cleared: %d", r.ProcPrio[2])
	}
}

func TestRoundRobinAmongEquals(t *testing.T) {
	r := newTestRegion(t)
	for p := uint16(1); p <= 3; p++ {
		mustSpawn(t, r, p, 2)
	}
	var order []uint16
	for i := 0; i < 6; i++ {
		p, _ := r.HighestProc()
		order = append(order, p)
		must(t, r.RunOn(0, p))
		r.Leave(0)
	}
	want := []uint16{1, 2, 3, 1, 2, 3}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
}

func TestRingOverflowCounted(t *testing.T) {
	r := newTestRegion(t)
	a := mustSpawn(t, r, 1, 0)
	for i := 0; i < RingSize; i++ {
		id, _ := r.Fetch(Ctx{}, 1)
		must(t, r.Yield(Ctx{}, id))
	}
	// 1 + 2*RingSize events into a ring of RingSize.
	if r.Overflow != RingSize+1 || r.Pending() != RingSize {
		t.Fatalf("overflow %d pending %d", r.Overflow, r.Pending())
	}
	buf := make([]Event, 10)
	n, e := r.Drain(buf)
	must(t, e)
	if n != 10 || buf[0].Seq != RingSize+1 || buf[0].Co != a {
		t.Fatalf("drained %d, first seq %d", n, buf[0].Seq)
	}
}

func TestErrnoError(t *testing.T) {
	var err error = ErrBadState
	if !errors.Is(err, ErrBadState) || err.Error() != "sched: illegal state transition" {
		t.Fatal(err)
	}
	if OK.Err() != nil || Errno(200).Error() != "sched: Errno(?)" {
		t.Fatal("OK.Err or unknown errno")
	}
}
