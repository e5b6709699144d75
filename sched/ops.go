package sched

// The coroutine operations on one process's Local. Each one: asserts the
// Local's lock, validates everything, then changes state, queues and the
// Local's event ring. On any error nothing has been changed. The kernel
// learns the new local priority by reading the Local (sample.go); nothing
// here writes kernel state.
//
// Every function here is nosplit because it is a hot path shared with the
// vDSO page (see sched.go, "Hot-path rules").

// lookup returns the control block of a live coroutine id, or nil.
//
//go:nosplit
func (l *Local) lookup(id uint32) *CB {
	cb := &l.Cos[slotOf(id)]
	if cb.ID != id || id == 0 || cb.Flags&CBFree != 0 {
		return nil
	}
	return cb
}

// Spawn creates a coroutine of this process and queues it Ready
// (Created → Ready, CauseSpawn). waker is the spawning coroutine or NoWaker.
// Only the kernel's Local (process 0) holds kernel kinds.
//
//go:nosplit
func (l *Local) Spawn(c Ctx, kind Kind, prio uint8, waker uint32) (uint32, Errno) {
	if !l.held() {
		return NoCo, ErrNotLocked
	}
	switch {
	case prio >= NumPrio:
		return NoCo, ErrBadPrio
	case kind >= NumKinds || (kind != KindUser && l.Proc != 0):
		return NoCo, ErrBadKind
	}
	s := l.freePop()
	if s == NoIdx {
		return NoCo, ErrFull
	}
	cb := &l.Cos[s&(LocalCos-1)]
	gen := cb.ID>>genShift + 1
	if gen >= genLimit {
		gen = 1
	}
	cb.ID = gen<<genShift | uint32(l.Proc&(MaxProcs-1))<<slotBits | uint32(s)
	cb.Proc, cb.Kind, cb.Prio, cb.State = l.Proc, kind, prio, Ready
	l.push(s)
	l.Live++
	l.emit(c, cb, Created, Ready, CauseSpawn, waker, 0)
	return cb.ID, OK
}

// Fetch picks the best ready coroutine of this process (FIFO within a
// priority) and makes it Running (CauseFetch). It fails with ErrBusy while
// the process has a Running or Suspended coroutine and with ErrEmpty when
// nothing is ready.
//
//go:nosplit
func (l *Local) Fetch(c Ctx) (uint32, Errno) {
	if !l.held() {
		return NoCo, ErrNotLocked
	}
	if l.Cur != NoIdx {
		return NoCo, ErrBusy
	}
	s := l.popBest()
	if s == NoIdx {
		return NoCo, ErrEmpty
	}
	cb := &l.Cos[s&(LocalCos-1)]
	cb.State = Running
	l.Cur = s
	l.emit(c, cb, Ready, Running, CauseFetch, NoWaker, 0)
	return cb.ID, OK
}

// leaveRunning moves a Running coroutine to state to (Ready, Blocked or
// Exited) with the given cause; shared by Yield, Block and Exit.
//
//go:nosplit
func (l *Local) leaveRunning(c Ctx, id uint32, to State, cause Cause, arg uint64) Errno {
	if !l.held() {
		return ErrNotLocked
	}
	cb := l.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != Running {
		return ErrBadState
	}
	s := uint16(slotOf(id))
	l.Cur = NoIdx
	cb.State = to
	switch to {
	case Ready:
		l.push(s)
	case Exited:
		l.Live--
		l.freePush(s)
	}
	l.emit(c, cb, Running, to, cause, NoWaker, arg)
	return OK
}

// Yield puts a Running coroutine back at the tail of its queue (CauseYield).
//
//go:nosplit
func (l *Local) Yield(c Ctx, id uint32) Errno {
	return l.leaveRunning(c, id, Ready, CauseYield, 0)
}

// Block makes a Running coroutine wait for a Wake (CauseBlock). arg is
// recorded in the event (the I/O request id when it blocks on I/O).
//
//go:nosplit
func (l *Local) Block(c Ctx, id uint32, arg uint64) Errno {
	return l.leaveRunning(c, id, Blocked, CauseBlock, arg)
}

// Exit ends a Running coroutine; its slot goes to the free list.
//
//go:nosplit
func (l *Local) Exit(c Ctx, id uint32) Errno {
	return l.leaveRunning(c, id, Exited, CauseExit, 0)
}

// Wake makes a Blocked coroutine Ready. cause is CauseWake (woken by
// coroutine waker), CauseUintr (by a user-interrupt handler) or CauseTimer;
// arg is the I/O request id for CauseUintr.
//
//go:nosplit
func (l *Local) Wake(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	if !l.held() {
		return ErrNotLocked
	}
	if cause != CauseWake && cause != CauseUintr && cause != CauseTimer {
		return ErrBadCause
	}
	cb := l.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != Blocked {
		return ErrBadState
	}
	cb.State = Ready
	l.push(uint16(slotOf(id)))
	l.emit(c, cb, Blocked, Ready, cause, waker, arg)
	return OK
}

// Suspend marks the Running coroutine of an interrupted process
// (CausePreempt). It stays its process's current coroutine.
//
//go:nosplit
func (l *Local) Suspend(c Ctx, id uint32) Errno {
	return l.flip(c, id, Running, Suspended, CausePreempt)
}

// Resume continues a Suspended coroutine (CauseResume).
//
//go:nosplit
func (l *Local) Resume(c Ctx, id uint32) Errno {
	return l.flip(c, id, Suspended, Running, CauseResume)
}

// flip changes between Running and Suspended without touching queues.
//
//go:nosplit
func (l *Local) flip(c Ctx, id uint32, from, to State, cause Cause) Errno {
	if !l.held() {
		return ErrNotLocked
	}
	cb := l.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != from {
		return ErrBadState
	}
	cb.State = to
	l.emit(c, cb, from, to, cause, NoWaker, 0)
	return OK
}

// SetPrio changes a live coroutine's priority; a Ready one moves to the
// tail of its new queue. The event has From == To and Arg = old priority.
//
//go:nosplit
func (l *Local) SetPrio(c Ctx, id uint32, prio uint8) Errno {
	if !l.held() {
		return ErrNotLocked
	}
	if prio >= NumPrio {
		return ErrBadPrio
	}
	cb := l.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	old := cb.Prio
	if cb.State == Ready {
		s := uint16(slotOf(id))
		l.unlink(s)
		cb.Prio = prio
		l.push(s)
	} else {
		cb.Prio = prio
	}
	l.emit(c, cb, cb.State, cb.State, CauseSetPrio, NoWaker, uint64(old))
	return OK
}

// Mark records a marker event (CauseIOSubmit, CauseIODone, CauseUintrSend,
// CausePlace) for a live coroutine without changing its state; arg is the
// request id (CausePlace: the process placed).
//
//go:nosplit
func (l *Local) Mark(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	if !l.held() {
		return ErrNotLocked
	}
	if cause != CauseIOSubmit && cause != CauseIODone && cause != CauseUintrSend && cause != CausePlace {
		return ErrBadCause
	}
	cb := l.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	l.emit(c, cb, cb.State, cb.State, cause, waker, arg)
	return OK
}

// StateOf returns the state of a live coroutine (Exited and ErrBadID for
// a stale or unknown id).
//
//go:nosplit
func (l *Local) StateOf(id uint32) (State, Errno) {
	cb := l.lookup(id)
	if cb == nil {
		return Exited, ErrBadID
	}
	return cb.State, OK
}

// Current returns the process's Running or Suspended coroutine, or NoCo.
//
//go:nosplit
func (l *Local) Current() uint32 {
	if l.Cur == NoIdx {
		return NoCo
	}
	return l.Cos[l.Cur&(LocalCos-1)].ID
}

// Prio returns the process's local priority: the best of its best ready
// queue and its Running or Suspended coroutine, or Idle. It is what the
// kernel's Sample computes, trusting nothing, from the same fields.
//
//go:nosplit
func (l *Local) Prio() uint8 {
	best := uint8(Idle)
	if q := lowestBit(l.Bitmap); q < NumPrio {
		best = q
	}
	if l.Cur != NoIdx {
		if cp := l.Cos[l.Cur&(LocalCos-1)].Prio; cp < best {
			best = cp
		}
	}
	return best
}
