package uintr

import (
	"testing"

	"copslab/sched"
)

// BenchmarkCompleteDeliverDrain: one async completion end to end on the
// host — Complete, Enter (divert), Handle (drain + wake), Return, and the
// coroutine fetched and blocked again under Unlock.
func BenchmarkCompleteDeliverDrain(b *testing.B) {
	e := NewEmu()
	l, r := newProc(b, e, 1)
	tag := sched.LockTag(0, true)
	c := sched.Ctx{}
	l.TryLock(tag)
	id, _ := l.Spawn(c, sched.KindUser, 1, sched.NoWaker)
	l.Fetch(c)
	l.Block(c, id, 0)
	l.Unlock(tag)
	var f Frame
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reserve(1)
		e.Complete(1, Record{Key: uint64(i), Co: id, Op: OpRead})
		e.Enter(1, 0, &f)
		r.Handle(l, c, HandlerTag(0))
		e.Return(1, &f)
		l.TryLock(tag)
		l.Fetch(c)
		l.Block(c, id, uint64(i))
		r.Unlock(l, c, tag)
	}
	if r.Drained != uint64(b.N) || r.Stray != 0 {
		b.Fatalf("drained %d of %d, stray %d", r.Drained, b.N, r.Stray)
	}
}
