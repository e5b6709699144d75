package sched

// The host Region's operations: the same calls the sandbox and
// the tests have always made on one region, each one done the way the
// kernel and a process will do it. With Region's (Global) lock held, a
// call takes the process's Local lock with the same tag (lock order:
// Global before Local), runs the Local operation, releases it, and then
// does the kernel's part at once: Collect the new event into the Global
// ring and Sample the local priority into the global priority array. So
// the Global ring and ProcPrio are always current, as if the kernel made a
// decision after every operation.

// onLocal runs op on proc's Local with its lock taken for the caller's tag.
// Not a hot path (host and tests).
func (r *Region) onLocal(c Ctx, proc uint16, op func(l *Local) Errno) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	l := &r.Locals[proc&(MaxProcs-1)]
	tag := r.Lock
	if !l.TryLock(tag) {
		return ErrBusy
	}
	e := op(l)
	l.Unlock(tag)
	if r.Procs[proc&(MaxProcs-1)].Flags&ProcUsed != 0 {
		r.sync(proc, c.Now)
	}
	return e
}

// sync is the kernel's part after an operation on proc's Local. A host
// region is written only through these operations, so a fault here is a
// bug in this package.
func (r *Region) sync(proc uint16, now uint64) {
	if f, _ := r.Collect(proc, &r.Locals[proc], now); f.Code != FaultNone {
		panic(f.Message(proc))
	}
	if f, _ := r.Sample(proc, &r.Locals[proc]); f.Code != FaultNone {
		panic(f.Message(proc))
	}
}

// usedProc reports whether proc names a slot in use.
func (r *Region) usedProc(proc uint16) bool {
	return proc < MaxProcs && r.Procs[proc].Flags&ProcUsed != 0
}

// Spawn creates a coroutine of process proc (see Local.Spawn).
func (r *Region) Spawn(c Ctx, proc uint16, kind Kind, prio uint8, waker uint32) (uint32, Errno) {
	if !r.held() {
		return NoCo, ErrNotLocked
	}
	if !r.usedProc(proc) {
		return NoCo, ErrBadProc
	}
	id := NoCo
	e := r.onLocal(c, proc, func(l *Local) (e Errno) { id, e = l.Spawn(c, kind, prio, waker); return })
	return id, e
}

// Fetch makes proc's best ready coroutine Running (see Local.Fetch).
func (r *Region) Fetch(c Ctx, proc uint16) (uint32, Errno) {
	if !r.held() {
		return NoCo, ErrNotLocked
	}
	if !r.usedProc(proc) {
		return NoCo, ErrBadProc
	}
	id := NoCo
	e := r.onLocal(c, proc, func(l *Local) (e Errno) { id, e = l.Fetch(c); return })
	return id, e
}

// Yield: see Local.Yield.
func (r *Region) Yield(c Ctx, id uint32) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Yield(c, id) })
}

// Block: see Local.Block.
func (r *Region) Block(c Ctx, id uint32, arg uint64) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Block(c, id, arg) })
}

// Exit: see Local.Exit.
func (r *Region) Exit(c Ctx, id uint32) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Exit(c, id) })
}

// Wake: see Local.Wake.
func (r *Region) Wake(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Wake(c, id, cause, waker, arg) })
}

// Suspend: see Local.Suspend.
func (r *Region) Suspend(c Ctx, id uint32) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Suspend(c, id) })
}

// Resume: see Local.Resume.
func (r *Region) Resume(c Ctx, id uint32) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Resume(c, id) })
}

// SetPrio: see Local.SetPrio.
func (r *Region) SetPrio(c Ctx, id uint32, prio uint8) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.SetPrio(c, id, prio) })
}

// Mark: see Local.Mark.
func (r *Region) Mark(c Ctx, id uint32, cause Cause, waker uint32, arg uint64) Errno {
	return r.onLocal(c, ProcOf(id), func(l *Local) Errno { return l.Mark(c, id, cause, waker, arg) })
}

// StateOf returns the state of a live coroutine (Exited and ErrBadID for
// a stale or unknown id).
func (r *Region) StateOf(id uint32) (State, Errno) { return r.Locals[ProcOf(id)].StateOf(id) }

// Current returns proc's Running or Suspended coroutine, or NoCo.
func (r *Region) Current(proc uint16) uint32 {
	if !r.usedProc(proc) {
		return NoCo
	}
	return r.Locals[proc].Current()
}

// CB returns the control block slot that id names (live or not).
func (r *Region) CB(id uint32) *CB { return &r.Locals[ProcOf(id)].Cos[slotOf(id)] }

// LiveCos returns how many coroutines are live in all processes.
func (r *Region) LiveCos() int {
	n := 0
	for p := range r.Locals {
		if r.Procs[p].Flags&ProcUsed != 0 {
			n += int(r.Locals[p].Live)
		}
	}
	return n
}
