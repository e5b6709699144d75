package sched

// The coroutine operations. Each one: asserts the lock, validates
// everything, then changes state, queues, the global priority array and
// the trace ring. On any error nothing has been changed.
//
// Every function here is nosplit because it is a hot path shared with the
// vDSO page (see sched.go, "Hot-path rules").

// lookup returns the control block of a live coroutine id, or nil.
//
//go:nosplit
func (r *Region) lookup(id uint32) *CB {
	cb := &r.Cos[slotOf(id)]
	if cb.ID != id || id == 0 || cb.Flags&CBFree != 0 {
		return nil
	}
	return cb
}

// proc returns the block of an in-use process slot, or nil.
//
//go:nosplit
func (r *Region) proc(p uint16) *ProcBlock {
	if p >= MaxProcs {
		return nil
	}
	pb := &r.Procs[p&(MaxProcs-1)]
	if pb.Flags&ProcUsed == 0 {
		return nil
	}
	return pb
}

// Spawn creates a coroutine of process proc and queues it Ready
// (Created → Ready, CauseSpawn). waker is the spawning coroutine or NoWaker.
//
//go:nosplit
func (r *Region) Spawn(c Ctx, proc uint16, kind Kind, prio uint8, waker uint32) (uint32, Errno) {
	if !r.held() {
		return NoCo, ErrNotLocked
	}
	p := r.proc(proc)
	switch {
	case p == nil:
		return NoCo, ErrBadProc
	case prio >= NumPrio:
		return NoCo, ErrBadPrio
	case kind >= NumKinds:
		return NoCo, ErrBadKind
	}
	s := r.freePop()
	if s == NoIdx {
		return NoCo, ErrFull
	}
	cb := &r.Cos[s&(MaxCos-1)]
	gen := cb.ID>>coBits + 1
	if gen >= genLimit {
		gen = 1
	}
	cb.ID = gen<<coBits | uint32(s)
	cb.Proc, cb.Kind, cb.Prio, cb.State = proc, kind, prio, Ready
	r.push(p, s)
	p.Live++
	r.Live++
	r.emit(c, cb, Created, Ready, CauseSpawn, waker, 0)
	r.refresh(proc)
	return cb.ID, OK
}

// Fetch picks the best ready coroutine of proc (FIFO within a priority)
// and makes it Running (CauseFetch). It fails with ErrBusy while proc has a
// Running or Suspended coroutine and with ErrEmpty when nothing is ready.
//
//go:nosplit
func (r *Region) Fetch(c Ctx, proc uint16) (uint32, Errno) {
	if !r.held() {
		return NoCo, ErrNotLocked
	}
	p := r.proc(proc)
	if p == nil {
		return NoCo, ErrBadProc
	}
	if p.Cur != NoIdx {
		return NoCo, ErrBusy
	}
	s := r.popBest(p)
	if s == NoIdx {
		return NoCo, ErrEmpty
	}
	cb := &r.Cos[s&(MaxCos-1)]
	cb.State = Running
	p.Cur = s
	r.emit(c, cb, Ready, Running, CauseFetch, NoWaker, 0)
	r.refresh(proc)
	return cb.ID, OK
}

// leaveRunning moves a Running coroutine to state to (Ready, Blocked or
// Exited) with the given cause; shared by Yield, Block and Exit.
//
//go:nosplit
func (r *Region) leaveRunning(c Ctx, id uint32, to State, cause Cause, arg uint64) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	cb := r.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != Running {
		return ErrBadState
	}
	p := &r.Procs[cb.Proc&(MaxProcs-1)]
	s := uint16(slotOf(id))
	p.Cur = NoIdx
	cb.State = to
	switch to {
	case Ready:
		r.push(p, s)
	case Exited:
		p.Live--
		r.Live--
		r.freePush(s)
	}
	r.emit(c, cb, Running, to, cause, NoWaker, arg)
	r.refresh(cb.Proc)
	return OK
}

// Yield puts a Running coroutine back at the tail of its queue (CauseYield).
//
//go:nosplit
func (r *Region) Yield(c Ctx, id uint32) Errno {
	return r.leaveRunning(c, id, Ready, CauseYield, 0)
}

// Block makes a Running coroutine wait for a Wake (CauseBlock). arg is
// recorded in the event (the I/O request id when it blocks on I/O).
//
//go:nosplit
func (r *Region) Block(c Ctx, id uint32, arg uint64) Errno {
	return r.leaveRunning(c, id, Blocked, CauseBlock, arg)
}

// Exit ends a Running coroutine; its slot goes to the free list.
//
//go:nosplit
func (r *Region) Exit(c Ctx, id uint32) Errno {
	return r.leaveRunning(c, id, Exited, CauseExit, 0)
}

// Wake makes a Blocked coroutine Ready. cause is CauseWake (woken by
// coroutine waker), CauseUintr (by a user-interrupt handler) or CauseTimer;
// arg is the I/O request id for CauseUintr.
//
//go:nosplit
func (r *Region) Wake(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if cause != CauseWake && cause != CauseUintr && cause != CauseTimer {
		return ErrBadCause
	}
	cb := r.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != Blocked {
		return ErrBadState
	}
	cb.State = Ready
	r.push(&r.Procs[cb.Proc&(MaxProcs-1)], uint16(slotOf(id)))
	r.emit(c, cb, Blocked, Ready, cause, waker, arg)
	r.refresh(cb.Proc)
	return OK
}

// Suspend marks the Running coroutine of an interrupted process
// (CausePreempt). It stays its process's current coroutine.
//
//go:nosplit
func (r *Region) Suspend(c Ctx, id uint32) Errno {
	return r.flip(c, id, Running, Suspended, CausePreempt)
}

// Resume continues a Suspended coroutine (CauseResume).
//
//go:nosplit
func (r *Region) Resume(c Ctx, id uint32) Errno {
	return r.flip(c, id, Suspended, Running, CauseResume)
}

// flip changes between Running and Suspended without touching queues.
//
//go:nosplit
func (r *Region) flip(c Ctx, id uint32, from, to State, cause Cause) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	cb := r.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	if cb.State != from {
		return ErrBadState
	}
	cb.State = to
	r.emit(c, cb, from, to, cause, NoWaker, 0)
	r.refresh(cb.Proc)
	return OK
}

// SetPrio changes a live coroutine's priority; a Ready one moves to the
// tail of its new queue. The event has From == To and Arg = old priority.
//
//go:nosplit
func (r *Region) SetPrio(c Ctx, id uint32, prio uint8) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if prio >= NumPrio {
		return ErrBadPrio
	}
	cb := r.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	old := cb.Prio
	if cb.State == Ready {
		p := &r.Procs[cb.Proc&(MaxProcs-1)]
		s := uint16(slotOf(id))
		r.unlink(p, s)
		cb.Prio = prio
		r.push(p, s)
	} else {
		cb.Prio = prio
	}
	r.emit(c, cb, cb.State, cb.State, CauseSetPrio, NoWaker, uint64(old))
	r.refresh(cb.Proc)
	return OK
}

// Mark records a marker event (CauseIOSubmit, CauseIODone, CauseUintrSend)
// for a live coroutine without changing its state; arg is the request id.
//
//go:nosplit
func (r *Region) Mark(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if cause != CauseIOSubmit && cause != CauseIODone && cause != CauseUintrSend {
		return ErrBadCause
	}
	cb := r.lookup(id)
	if cb == nil {
		return ErrBadID
	}
	r.emit(c, cb, cb.State, cb.State, cause, waker, arg)
	return OK
}

// StateOf returns the state of a live coroutine (Exited and ErrBadID for
// a stale or unknown id).
//
//go:nosplit
func (r *Region) StateOf(id uint32) (State, Errno) {
	cb := r.lookup(id)
	if cb == nil {
		return Exited, ErrBadID
	}
	return cb.State, OK
}

// Current returns proc's Running or Suspended coroutine, or NoCo.
//
//go:nosplit
func (r *Region) Current(proc uint16) uint32 {
	p := r.proc(proc)
	if p == nil || p.Cur == NoIdx {
		return NoCo
	}
	return r.Cos[p.Cur&(MaxCos-1)].ID
}
