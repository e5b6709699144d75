package sched

// The kernel's side: the global priority array and the choice of the next
// process. ProcPrio[p] is the best of
//   - the priority of p's best non-empty ready queue (lowest Bitmap bit),
//   - the priority of p's Running or Suspended coroutine,
//   - 0 when a user interrupt is pending for p (the COPS boost),
// or Idle when there is none. It is recomputed (refresh) by every
// operation that changes one of those inputs, under the region lock.

// refresh recomputes ProcPrio[proc].
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) refresh(proc uint16) {
	p := &r.Procs[proc&(MaxProcs-1)]
	best := uint8(Idle)
	if p.Flags&ProcUsed != 0 {
		if q := lowestBit(p.Bitmap); q < NumPrio {
			best = q
		}
		if p.Cur != NoIdx {
			if cp := r.Cos[p.Cur&(MaxCos-1)].Prio; cp < best {
				best = cp
			}
		}
		if p.Flags&ProcUintr != 0 {
			best = 0
		}
	}
	r.ProcPrio[proc&(MaxProcs-1)] = best
}

// HighestProc returns the process the kernel should run next: the best
// global priority among processes not running on a hart, ties broken
// round-robin starting after the last process placed with RunOn. It
// returns (NoProc, Idle) when no process has anything to run.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) HighestProc() (uint16, uint8) { return r.HighestProcMask(^uint64(0)) }

// HighestProcMask is HighestProc restricted to the processes whose bit is
// set in allow (a hart's affinity mask; bit p is process slot p).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) HighestProcMask(allow uint64) (uint16, uint8) {
	bestP, bestPrio := NoProc, uint8(Idle)
	for i := uint16(1); i <= MaxProcs; i++ {
		p := (r.Cursor + i) & (MaxProcs - 1)
		pr := r.ProcPrio[p]
		if pr < bestPrio && allow&(1<<p) != 0 && r.Procs[p].Hart == NoHart {
			bestP, bestPrio = p, pr
		}
	}
	return bestP, bestPrio
}

// RunOn records that hart runs proc (kernel only; the lock must be held).
// The hart's previous process, if any, is taken off it first.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) RunOn(hart uint8, proc uint16) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if hart >= MaxHarts {
		return ErrBadHart
	}
	p := r.proc(proc)
	if p == nil {
		return ErrBadProc
	}
	if p.Hart != NoHart && p.Hart != hart {
		return ErrBusy
	}
	r.Leave(hart)
	r.HartProc[hart&(MaxHarts-1)] = proc
	p.Hart = hart
	r.Cursor = proc
	return OK
}

// Leave records that hart runs no process (kernel only). The lock must be
// held; a hart number out of range is ErrBadHart and changes nothing.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) Leave(hart uint8) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if hart >= MaxHarts {
		return ErrBadHart
	}
	h := hart & (MaxHarts - 1)
	if old := r.HartProc[h]; old != NoIdx {
		r.Procs[old&(MaxProcs-1)].Hart = NoHart
	}
	r.HartProc[h] = NoIdx
	return OK
}

// SetUintr sets or clears proc's pending-user-interrupt flag, which boosts
// its global priority to 0 until the handler has run.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) SetUintr(proc uint16, pending bool) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	p := r.proc(proc)
	if p == nil {
		return ErrBadProc
	}
	if pending {
		p.Flags |= ProcUintr
	} else {
		p.Flags &^= ProcUintr
	}
	r.refresh(proc)
	return OK
}
