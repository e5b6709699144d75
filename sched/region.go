package sched

import "unsafe"

// Init formats r as an empty region: every coroutine slot free, process 0
// (the kernel) in use, every other process slot unused, no hart running
// anything. It is not a hot path (it clears the whole region).
func (r *Region) Init() {
	*r = Region{}
	r.Magic, r.Version = RegionMagic, RegionVersion
	r.NProcs, r.NCos, r.NRing = MaxProcs, MaxCos, RingSize
	r.NPrio, r.NHarts = NumPrio, MaxHarts
	r.FreeHead, r.FreeTail = NoIdx, NoIdx
	for i := range r.Cos {
		r.Cos[i].State = Exited
		r.freePush(uint16(i))
	}
	for i := range r.Procs {
		p := &r.Procs[i]
		for q := range p.Head {
			p.Head[q], p.Tail[q] = NoIdx, NoIdx
		}
		p.Cur, p.Hart = NoIdx, NoHart
		r.ProcPrio[i] = Idle
	}
	for h := range r.HartProc {
		r.HartProc[h] = NoIdx
	}
	r.Procs[0].Flags = ProcUsed
}

// AddProc marks process slot proc as in use. The lock must be held.
func (r *Region) AddProc(proc uint16) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if proc >= MaxProcs {
		return ErrBadProc
	}
	p := &r.Procs[proc]
	if p.Flags&ProcUsed != 0 {
		return ErrBusy
	}
	p.Flags = ProcUsed
	r.Placed[proc&(MaxProcs-1)] = 0 // a new process has never been placed
	r.refresh(proc)
	return OK
}

// FreeProc releases a process slot that has no live coroutines and runs on
// no hart. The lock must be held.
func (r *Region) FreeProc(proc uint16) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	p := r.proc(proc)
	if p == nil || proc == 0 {
		return ErrBadProc
	}
	if p.Live != 0 || p.Hart != NoHart {
		return ErrBusy
	}
	p.Flags = 0
	r.refresh(proc)
	return OK
}

// Bytes returns the region's memory as bytes (no copy): what a debugger
// would read from the target, and what Decode accepts.
func (r *Region) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(r)), unsafe.Sizeof(*r))
}
