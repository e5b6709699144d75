package sched

// Ready queues are intrusive doubly-linked FIFOs threaded through the
// control blocks (CB.Next/CB.Prev), one per priority in each Local, with the
// Local's Bitmap bit p set exactly when queue p is non-empty. All
// functions here require the Local's lock; their callers assert it.

// lowestBit returns the index of the lowest set bit of b, or NumPrio if b
// is 0. A loop rather than math/bits: with the default GORISCV64 that is a
// table lookup in .rodata, which the vDSO page cannot reach.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func lowestBit(b uint8) uint8 {
	for i := uint8(0); i < NumPrio; i++ {
		if b&(1<<(i&7)) != 0 {
			return i
		}
	}
	return NumPrio
}

// queueOf is the ready queue of a coroutine of priority prio: its own
// (bugFIFO, a test build only: the worst priority's for everyone).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func queueOf(prio uint8) uint8 {
	if bugFIFO {
		return NumPrio - 1
	}
	return prio & (NumPrio - 1)
}

// push appends slot s to the tail of its priority's queue.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) push(s uint16) {
	cb := &l.Cos[s&(LocalCos-1)]
	q := queueOf(cb.Prio)
	cb.Next = NoIdx
	cb.Prev = l.QTail[q]
	if l.QTail[q] == NoIdx {
		l.QHead[q] = s
	} else {
		l.Cos[l.QTail[q]&(LocalCos-1)].Next = s
	}
	l.QTail[q] = s
	l.Bitmap |= 1 << q
}

// unlink removes slot s from its priority's queue.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) unlink(s uint16) {
	cb := &l.Cos[s&(LocalCos-1)]
	q := queueOf(cb.Prio)
	if cb.Prev == NoIdx {
		l.QHead[q] = cb.Next
	} else {
		l.Cos[cb.Prev&(LocalCos-1)].Next = cb.Next
	}
	if cb.Next == NoIdx {
		l.QTail[q] = cb.Prev
	} else {
		l.Cos[cb.Next&(LocalCos-1)].Prev = cb.Prev
	}
	cb.Next, cb.Prev = NoIdx, NoIdx
	if l.QHead[q] == NoIdx {
		l.Bitmap &^= 1 << q
	}
}

// popBest removes and returns the head of the best non-empty queue, or
// NoIdx when nothing is ready.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) popBest() uint16 {
	q := lowestBit(l.Bitmap)
	if q >= NumPrio {
		return NoIdx
	}
	s := l.QHead[q&(NumPrio-1)]
	l.unlink(s)
	return s
}

// freePush appends slot s to the tail of the free list (FIFO, so an exited
// coroutine's slot, and its id in old traces, is reused as late as possible).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) freePush(s uint16) {
	cb := &l.Cos[s&(LocalCos-1)]
	cb.Next, cb.Prev = NoIdx, NoIdx
	cb.Flags |= CBFree
	if l.FreeTail == NoIdx {
		l.FreeHead = s
	} else {
		l.Cos[l.FreeTail&(LocalCos-1)].Next = s
	}
	l.FreeTail = s
}

// freePop takes the head of the free list, or returns NoIdx.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) freePop() uint16 {
	s := l.FreeHead
	if s == NoIdx {
		return NoIdx
	}
	cb := &l.Cos[s&(LocalCos-1)]
	l.FreeHead = cb.Next
	if l.FreeHead == NoIdx {
		l.FreeTail = NoIdx
	}
	cb.Next, cb.Prev = NoIdx, NoIdx
	cb.Flags &^= CBFree
	return s
}
