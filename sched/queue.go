package sched

// Ready queues are intrusive doubly-linked FIFOs threaded through the
// control blocks (CB.Next/CB.Prev), one per (process, priority), with the
// process's Bitmap bit p set exactly when queue p is non-empty. All
// functions here require the region lock; their callers assert it.

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

// push appends slot s to the tail of its priority's queue in process p.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) push(p *ProcBlock, s uint16) {
	cb := &r.Cos[s&(MaxCos-1)]
	q := queueOf(cb.Prio)
	cb.Next = NoIdx
	cb.Prev = p.Tail[q]
	if p.Tail[q] == NoIdx {
		p.Head[q] = s
	} else {
		r.Cos[p.Tail[q]&(MaxCos-1)].Next = s
	}
	p.Tail[q] = s
	p.Bitmap |= 1 << q
}

// unlink removes slot s from its priority's queue in process p.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) unlink(p *ProcBlock, s uint16) {
	cb := &r.Cos[s&(MaxCos-1)]
	q := queueOf(cb.Prio)
	if cb.Prev == NoIdx {
		p.Head[q] = cb.Next
	} else {
		r.Cos[cb.Prev&(MaxCos-1)].Next = cb.Next
	}
	if cb.Next == NoIdx {
		p.Tail[q] = cb.Prev
	} else {
		r.Cos[cb.Next&(MaxCos-1)].Prev = cb.Prev
	}
	cb.Next, cb.Prev = NoIdx, NoIdx
	if p.Head[q] == NoIdx {
		p.Bitmap &^= 1 << q
	}
}

// popBest removes and returns the head of p's best non-empty queue, or
// NoIdx when p has nothing ready.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) popBest(p *ProcBlock) uint16 {
	q := lowestBit(p.Bitmap)
	if q >= NumPrio {
		return NoIdx
	}
	s := p.Head[q&(NumPrio-1)]
	r.unlink(p, s)
	return s
}

// freePush appends slot s to the tail of the free list (FIFO, so an exited
// coroutine's slot, and its id in old traces, is reused as late as possible).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) freePush(s uint16) {
	cb := &r.Cos[s&(MaxCos-1)]
	cb.Next, cb.Prev = NoIdx, NoIdx
	cb.Flags |= CBFree
	if r.FreeTail == NoIdx {
		r.FreeHead = s
	} else {
		r.Cos[r.FreeTail&(MaxCos-1)].Next = s
	}
	r.FreeTail = s
}

// freePop takes the head of the free list, or returns NoIdx.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) freePop() uint16 {
	s := r.FreeHead
	if s == NoIdx {
		return NoIdx
	}
	cb := &r.Cos[s&(MaxCos-1)]
	r.FreeHead = cb.Next
	if r.FreeHead == NoIdx {
		r.FreeTail = NoIdx
	}
	cb.Next, cb.Prev = NoIdx, NoIdx
	cb.Flags &^= CBFree
	return s
}
