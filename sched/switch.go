package sched

import "unsafe"

// Switch is a coroutine switch in one call: Yield the Running coroutine
// id, then Fetch the best ready one — exactly Yield(c, id) followed by
// Fetch(c): the same queues and states, and the same two events in the
// kernel's trace (switch_test.go checks both on random histories) — but
// one call, one lock check, one lookup and one record in the Local's
// ring (CauseSwitch, which Collect splits into the yield and the fetch)
// instead of two of each, for the executors' hot loop (package
// kernel/user/cops). On an error nothing has changed.
//
// It is the busiest operation there is, so its common case — no queue
// better than the yielder's q is ready and q holds another coroutine
// (equal coroutines taking turns) — is one rotation of q written out in
// place: the head runs, the yielder joins the tail, with no search for
// the best queue and no general unlink. Every case is written out, and
// the record too, so that Switch calls nothing: a leaf function has no
// frame and spills nothing.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) Switch(c Ctx, id uint32) (uint32, Errno) {
	if l.Lock == 0 { // our own lock: a plain load is enough (held's atomic is for others)
		return NoCo, ErrNotLocked
	}
	s := uint16(slotOf(id))
	cb := &l.Cos[s&(LocalCos-1)]
	if cb.ID != id || id == 0 || cb.Flags&CBFree != 0 {
		return NoCo, ErrBadID
	}
	if cb.State != Running {
		return NoCo, ErrBadState
	}
	q := queueOf(cb.Prio) & (NumPrio - 1)
	cb.State = Ready
	var next *CB
	ns := l.QHead[q]
	if l.Bitmap&(1<<q-1) == 0 && ns != NoIdx {
		// The common case: rotate queue q — its head runs, the yielder
		// joins the tail (push, then unlink of the head, written out).
		t := l.QTail[q]
		cb.Next, cb.Prev = NoIdx, t
		l.Cos[t&(LocalCos-1)].Next = s
		l.QTail[q] = s
		next = &l.Cos[ns&(LocalCos-1)]
		n := next.Next // s when the head was alone
		l.QHead[q] = n
		l.Cos[n&(LocalCos-1)].Prev = NoIdx
		next.Next, next.Prev = NoIdx, NoIdx
	} else {
		// Any other case: push(s) and popBest(), written out too, so that
		// Switch stays a leaf function (no frame, no spills).
		t := l.QTail[q]
		cb.Next, cb.Prev = NoIdx, t
		if t == NoIdx {
			l.QHead[q] = s
		} else {
			l.Cos[t&(LocalCos-1)].Next = s
		}
		l.QTail[q] = s
		bm := l.Bitmap | 1<<q
		b := q // the best queue: q unless a better one waits
		if bm&(1<<q-1) != 0 {
			for b = 0; b < q && bm&(1<<(b&(NumPrio-1))) == 0; b++ {
			}
		}
		b &= NumPrio - 1
		ns = l.QHead[b]
		next = &l.Cos[ns&(LocalCos-1)]
		n := next.Next
		if next.Prev == NoIdx {
			l.QHead[b] = n
		} else {
			l.Cos[next.Prev&(LocalCos-1)].Next = n
		}
		if n == NoIdx {
			l.QTail[b] = next.Prev
		} else {
			l.Cos[n&(LocalCos-1)].Prev = next.Prev
		}
		next.Next, next.Prev = NoIdx, NoIdx
		if l.QHead[b] == NoIdx {
			bm &^= 1 << b
		}
		l.Bitmap = bm
	}
	next.State = Running
	l.Cur = ns
	// One switch record for the two transitions (CauseSwitch): the
	// fetched coroutine's id in Waker, its kind and priority in Arg (one
	// halfword: CB.Kind and CB.Prio are adjacent, layout.go).
	seq := l.Seq
	if seq-l.Tail >= LocalRing {
		l.Tail++
		l.Overflow++
	}
	l.put(seq, c, cb, uint32(Running)|uint32(Ready)<<8|uint32(CauseSwitch)<<16, next.ID, uint64(*(*uint16)(unsafe.Pointer(&next.Kind))))
	l.Seq = seq + 1
	return next.ID, OK
}
