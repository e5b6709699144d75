package sandbox

import (
	"testing"

	"copslab/sched"
)

// TestWhatIfSetPrio: raising worker to priority 0 at 5 µs of tiny
// changes who runs after the first yield; the setprio event comes with
// the next step.
func TestWhatIfSetPrio(t *testing.T) {
	sc, _ := Builtin("tiny")
	sim, _ := New(sc)
	if _, err := sim.RunUntil(5000); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetPrio("worker", 0); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetPrio("nobody", 0); err == nil {
		t.Fatal("no error for an unknown coroutine")
	}
	evs, _, err := sim.Step()
	if err != nil || len(evs) == 0 || evs[0].Cause != sched.CauseSetPrio || evs[0].Prio != 0 || sim.CoName(evs[0].Co) != "worker" {
		t.Fatalf("first event after SetPrio: %+v, %v", evs, err)
	}
}

// TestWhatIfPolicies: FlatPrio puts every coroutine at one level; NoBoost
// leaves the pending flag clear, so in tiny the reader's second interrupt
// is never taken (app has nothing else to run and is not placed).
func TestWhatIfPolicies(t *testing.T) {
	sc, _ := Builtin("priority")
	sim, _ := New(sc)
	sim.RunUntil(100_000)
	if err := sim.SetPolicy(Policy{FlatPrio: true, FlatLevel: 4}); err != nil {
		t.Fatal(err)
	}
	for _, c := range sim.Snapshot().Cos {
		if c.Prio != 4 {
			t.Fatalf("%s at priority %d after FlatPrio", c.Name, c.Prio)
		}
	}
	sc, _ = Builtin("tiny")
	sc.Until = 200
	sim, _ = New(sc)
	sim.SetPolicy(Policy{NoBoost: true})
	evs, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	wakes := 0
	for _, e := range evs {
		if e.Cause == sched.CauseUintr {
			wakes++
		}
	}
	if wakes != 1 || sim.Snapshot().Procs[1].UintrPending {
		t.Fatalf("no boost: %d uintr wakes (want 1: the second interrupt is never taken)", wakes)
	}
}
