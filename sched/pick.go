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
			best = uintrPrio(best)
		}
	}
	r.ProcPrio[proc&(MaxProcs-1)] = best
}

// uintrPrio is the global priority of a process whose best is best and
// which has a user interrupt pending: 0, the COPS boost (bugNoBoost, a
// test build only: merely runnable at the worst priority).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func uintrPrio(best uint8) uint8 {
	if bugNoBoost {
		return min(best, NumPrio-1)
	}
	return 0
}

// HighestProc returns the process the kernel should run next: the best
// global priority among processes not running on a hart; among equals the
// one placed least recently (see HighestProcMask). It returns
// (NoProc, Idle) when no process has anything to run.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) HighestProc() (uint16, uint8) { return r.HighestProcMask(^uint64(0)) }

// HighestProcMask is HighestProc restricted to the processes whose bit is
// set in allow (a hart's affinity mask; bit p is process slot p).
//
// Fairness: among processes of the best priority it takes the one whose
// last placement is oldest (Placements - Placed[p], modulo 2^32; never
// placed counts as oldest, ties go to the lower slot). Every RunOn
// restamps the placed process, so a process of the best priority that a
// hart may run is passed over at most once per other process of that
// priority, however placements of other priorities, other harts and other
// masks interleave. (A single round-robin cursor shared by every placement
// is not enough: a placement elsewhere moves it past the whole group and
// the first member of the group wins again.)
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) HighestProcMask(allow uint64) (uint16, uint8) {
	bestP, bestPrio, bestAge := NoProc, uint8(Idle), uint32(0)
	for i := uint16(0); i < MaxProcs; i++ {
		p := i & (MaxProcs - 1)
		pr := r.ProcPrio[p]
		if pr == Idle || allow&(1<<p) == 0 || r.Procs[p].Hart != NoHart {
			continue
		}
		age := r.Placements - r.Placed[p]
		if r.Placed[p] == 0 {
			age = ^uint32(0)
		}
		if pr < bestPrio || (pr == bestPrio && age > bestAge) {
			bestP, bestPrio, bestAge = p, pr, age
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
	r.Placements++
	if r.Placements == 0 {
		r.Placements = 1 // 0 in Placed means never placed
	}
	r.Placed[proc&(MaxProcs-1)] = r.Placements
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
