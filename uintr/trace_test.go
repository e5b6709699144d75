package uintr

import (
	"slices"
	"testing"

	"copslab/sched"
	"copslab/workbench/model"
)

// TestTraceStages: one async call on the host, end to end — the
// coroutine submits (S1–S4), the kernel completes, delivers, the handler
// wakes it, the executor runs it. The process's Local and the kernel's
// Tracer together give every stage in order (io-submit, io-done,
// uintr-send, uintr-deliver, uintr, fetch) with the coroutine and key,
// and the workbench's model builds a complete chain with its four stage
// latencies from them.
func TestTraceStages(t *testing.T) {
	var kernel []sched.Event
	now := uint64(1000)
	c := func() sched.Ctx { now += 10; return sched.Ctx{Now: now} }
	e := NewEmu()
	e.Trace = func(ev sched.Event) { now += 10; ev.Time = now; kernel = append(kernel, ev) }
	l, r := newProc(t, e, 1)
	tag := sched.LockTag(0, true)
	l.TryLock(tag)
	id, _ := l.Spawn(c(), sched.KindUser, 3, sched.NoWaker)
	l.Fetch(c())
	const key = 77
	l.Mark(c(), id, sched.CauseIOSubmit, sched.NoWaker, key) // S2
	if err := e.Reserve(1); err != nil {
		t.Fatal(err)
	}
	l.Block(c(), id, key) // S3
	r.Unlock(l, c(), tag) // S4
	if err := e.Complete(1, Record{Key: key, Result: 5, Co: id, Op: OpRead}); err != nil {
		t.Fatal(err)
	}
	f := Frame{PC: 0x10200}
	if err := e.Enter(1, 0, &f); err != nil || f.PC != r.Handler {
		t.Fatalf("not delivered: %v", err)
	}
	r.Handle(l, c(), HandlerTag(0))
	e.Return(1, &f)
	l.TryLock(tag)
	if got, _ := l.Fetch(c()); got != id {
		t.Fatalf("fetched %#x, want %#x", got, id)
	}
	l.Unlock(tag)

	evs := append([]sched.Event(nil), kernel...)
	for s := l.Tail; s < l.Seq; s++ {
		evs = append(evs, l.Ring[s%sched.LocalRing])
	}
	slices.SortFunc(evs, func(a, b sched.Event) int { return int(a.Time) - int(b.Time) })
	var stages []sched.Cause
	for i := range evs {
		evs[i].Seq = uint64(i)
		ev := &evs[i]
		if ev.Co == id && (ev.Arg == key || ev.Cause == sched.CauseFetch) {
			stages = append(stages, ev.Cause)
		}
	}
	want := []sched.Cause{sched.CauseFetch, sched.CauseIOSubmit, sched.CauseBlock, sched.CauseIODone,
		sched.CauseUintrSend, sched.CauseUintrDeliver, sched.CauseUintr, sched.CauseFetch}
	if !slices.Equal(stages, want) {
		t.Fatalf("stages %v, want %v", stages, want)
	}
	m := model.New()
	m.Add(evs...)
	chains := m.Chains()
	if len(chains) != 1 || !chains[0].Complete() || chains[0].Co != id {
		t.Fatalf("workbench chains: %+v", chains)
	}
	lat, ok := chains[0].Stages()
	for i := range ok {
		if !ok[i] || lat[i] == 0 {
			t.Fatalf("stage %s: latency %d known %v", model.StageNames[i], lat[i], ok[i])
		}
	}
	t.Logf("stages %v; workbench latencies device/kernel/delivery/schedule %v ns", stages, lat)
}
