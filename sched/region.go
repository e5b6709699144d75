package sched

import "unsafe"

// Init formats l as the empty Local of process slot proc: every coroutine
// slot free, nothing ready, no event. The kernel does this once when it
// creates the process, before mapping the pages into it. Not a hot path.
func (l *Local) Init(proc uint16) {
	*l = Local{}
	l.Magic, l.Version, l.Proc = LocalMagic, RegionVersion, proc
	l.NCos, l.NRing, l.NPrio = LocalCos, LocalRing, NumPrio
	l.FreeHead, l.FreeTail, l.Cur = NoIdx, NoIdx, NoIdx
	for q := range l.QHead {
		l.QHead[q], l.QTail[q] = NoIdx, NoIdx
	}
	for i := range l.Cos {
		l.Cos[i].State = Exited
		l.Cos[i].Proc = proc
		l.freePush(uint16(i))
	}
}

// Bytes returns the Local's memory (no copy): what a debugger reads from
// the process and what DecodeLocal accepts.
func (l *Local) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(l)), unsafe.Sizeof(*l))
}

// Bytes returns the Global's memory (no copy).
func (g *Global) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(g)), unsafe.Sizeof(*g))
}

// Init formats r: the Global and the kernel's Local (process 0).
func (r *Region) Init() {
	*r = Region{}
	r.Global.Init()
	r.Locals[0].Init(0)
}

// AddProc takes process slot proc: the Global's record and a fresh Local.
// The lock must be held.
func (r *Region) AddProc(proc uint16) Errno {
	if e := r.Global.AddProc(proc); e != OK {
		return e
	}
	r.Locals[proc&(MaxProcs-1)].Init(proc)
	return OK
}

// FreeProc releases a process slot that has no live coroutines and runs on
// no hart. The lock must be held.
func (r *Region) FreeProc(proc uint16) Errno {
	if !r.held() {
		return ErrNotLocked
	}
	if proc < MaxProcs && r.Procs[proc].Flags&ProcUsed != 0 && r.Locals[proc].Live != 0 {
		return ErrBusy
	}
	if e := r.Global.FreeProc(proc); e != OK {
		return e
	}
	r.Locals[proc&(MaxProcs-1)] = Local{} // an unused slot holds nothing (Decode checks)
	return OK
}

// Bytes returns the whole region's memory (no copy): what Decode accepts.
func (r *Region) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(r)), unsafe.Sizeof(*r))
}
