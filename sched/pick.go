package sched

// The kernel's side: process slots, the global priority array and the
// choice of the next process. ProcPrio[p] is the best of
//   - p's local priority as last sampled from its Local (KProc.LPrio: its
//     best ready queue or its Running/Suspended coroutine, sample.go),
//   - 0 when a user interrupt is pending for p (the COPS boost),
// or Idle when there is none. It is recomputed (refresh) whenever one of
// those inputs changes, with Global.Lock held.

// Init formats g as the kernel's empty state: process 0 (the kernel) in
// use, every other slot unused, no hart running anything.
func (g *Global) Init() {
	*g = Global{}
	g.Magic, g.Version = GlobalMagic, RegionVersion
	g.NProcs, g.NRing, g.NPrio, g.NHarts = MaxProcs, RingSize, NumPrio, MaxHarts
	for i := range g.Procs {
		g.Procs[i].Hart, g.Procs[i].LPrio = NoHart, Idle
		g.ProcPrio[i] = Idle
	}
	for h := range g.HartProc {
		g.HartProc[h] = NoIdx
	}
	g.Procs[0].Flags = ProcUsed
}

// AddProc marks process slot proc as in use (its Local must be initialised
// with InitLocal(proc) before the process runs). Global.Lock must be held.
func (g *Global) AddProc(proc uint16) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	if proc >= MaxProcs {
		return ErrBadProc
	}
	k := &g.Procs[proc]
	if k.Flags&ProcUsed != 0 {
		return ErrBusy
	}
	*k = KProc{Flags: ProcUsed, Hart: NoHart, LPrio: Idle} // never placed, nothing collected
	g.refresh(proc)
	return OK
}

// FreeProc releases a process slot that runs on no hart (the kernel has
// stopped looking at its Local). Global.Lock must be held.
func (g *Global) FreeProc(proc uint16) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	k := g.kproc(proc)
	if k == nil || proc == 0 {
		return ErrBadProc
	}
	if k.Hart != NoHart {
		return ErrBusy
	}
	k.Flags, k.LPrio = 0, Idle
	g.refresh(proc)
	return OK
}

// kproc returns the record of an in-use process slot, or nil.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) kproc(p uint16) *KProc {
	if p >= MaxProcs {
		return nil
	}
	k := &g.Procs[p&(MaxProcs-1)]
	if k.Flags&ProcUsed == 0 {
		return nil
	}
	return k
}

// refresh recomputes ProcPrio[proc].
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) refresh(proc uint16) {
	k := &g.Procs[proc&(MaxProcs-1)]
	best := uint8(Idle)
	if k.Flags&ProcUsed != 0 {
		if k.LPrio < NumPrio {
			best = k.LPrio
		}
		if k.Flags&ProcUintr != 0 {
			best = uintrPrio(best)
		}
	}
	g.ProcPrio[proc&(MaxProcs-1)] = best
}

// uintrPrio is the global priority of a process whose best is best and
// which has a user interrupt pending: 0, the COPS boost (bugNoBoost, a
// test build only: merely runnable at the worst priority).
//
// nosplit: kernel path, same rules as the vDSO's.
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
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) HighestProc() (uint16, uint8) { return g.HighestProcMask(^uint64(0)) }

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
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) HighestProcMask(allow uint64) (uint16, uint8) {
	bestP, bestPrio, bestAge := NoProc, uint8(Idle), uint32(0)
	for i := uint16(0); allow != 0; i, allow = i+1, allow>>1 { // up to the highest slot allowed
		p := i & (MaxProcs - 1)
		pr := g.ProcPrio[p]
		k := &g.Procs[p]
		if pr == Idle || allow&1 == 0 || k.Hart != NoHart {
			continue
		}
		age := g.Placements - k.Placed
		if k.Placed == 0 {
			age = ^uint32(0)
		}
		if pr < bestPrio || (pr == bestPrio && age > bestAge) {
			bestP, bestPrio, bestAge = p, pr, age
		}
	}
	return bestP, bestPrio
}

// RunOn records that hart runs proc (Global.Lock held). The hart's
// previous process, if any, is taken off it first.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) RunOn(hart uint8, proc uint16) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	if hart >= MaxHarts {
		return ErrBadHart
	}
	k := g.kproc(proc)
	if k == nil {
		return ErrBadProc
	}
	if k.Hart != NoHart && k.Hart != hart {
		return ErrBusy
	}
	g.Leave(hart)
	g.HartProc[hart&(MaxHarts-1)] = proc
	k.Hart = hart
	g.Placements++
	if g.Placements == 0 {
		g.Placements = 1 // 0 in Placed means never placed
	}
	k.Placed = g.Placements
	return OK
}

// Leave records that hart runs no process. Global.Lock must be held; a
// hart number out of range is ErrBadHart and changes nothing.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) Leave(hart uint8) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	if hart >= MaxHarts {
		return ErrBadHart
	}
	h := hart & (MaxHarts - 1)
	if old := g.HartProc[h]; old != NoIdx {
		g.Procs[old&(MaxProcs-1)].Hart = NoHart
	}
	g.HartProc[h] = NoIdx
	return OK
}

// SetLocalPrio sets proc's local priority from the kernel's own knowledge
// (prio 0..7 or Idle), for a process that has no Local the kernel reads:
// a process made of threads only, whose priority is the best
// PrioOfNice of its runnable threads. Global.Lock must be held.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) SetLocalPrio(proc uint16, prio uint8) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	if prio >= NumPrio && prio != Idle {
		return ErrBadPrio
	}
	k := g.kproc(proc)
	if k == nil {
		return ErrBadProc
	}
	k.LPrio = prio
	g.refresh(proc)
	return OK
}

// SetUintr sets or clears proc's pending-user-interrupt flag, which boosts
// its global priority to 0 until the handler has run.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) SetUintr(proc uint16, pending bool) Errno {
	if !g.held() {
		return ErrNotLocked
	}
	k := g.kproc(proc)
	if k == nil {
		return ErrBadProc
	}
	if pending {
		k.Flags |= ProcUintr
	} else {
		k.Flags &^= ProcUintr
	}
	g.refresh(proc)
	return OK
}
