package sched

// DecodeGlobal checks a raw dump of the kernel's Global (layout.go) — the
// header, every process record, the global priority array against each
// record's sampled local priority and user-interrupt flag, the hart table
// against the records, and the trace ring — and returns it as a Snapshot
// whose Procs carry what the kernel knows of each process (ID, Prio, Hart,
// UintrPending; no queues: those are in the process's Local, DecodeLocal)
// and whose Harts name no coroutine. It never panics; bytes after
// GlobalSize are ignored. This is what a debugger reads from the kernel.
func DecodeGlobal(b []byte) (*Snapshot, error) {
	if len(b) < GlobalSize {
		return nil, (&reader{b: b}).errf(0, "dump is %d bytes, the Global needs %d", len(b), GlobalSize)
	}
	g := &reader{b: b[:GlobalSize], lockOff: OffGLock}
	s, err := g.global()
	if err != nil {
		return nil, err
	}
	for p := uint16(0); p < MaxProcs; p++ {
		if !g.used(p) {
			continue
		}
		ps := ProcSnap{ID: p, Current: NoCo}
		if _, err := g.procRecord(p, &ps); err != nil {
			return nil, err
		}
		s.Procs = append(s.Procs, ps)
	}
	if err := g.harts(s); err != nil {
		return nil, err
	}
	return s, nil
}

// used reports whether process slot p's record says in use.
func (d *reader) used(p uint16) bool { return d.u8(OffKProcs+int(p)*KProcSize+4)&ProcUsed != 0 }

// procRecord fills the kernel's fields of ps from p's record, checks the
// global priority against them and returns the sampled local priority.
func (d *reader) procRecord(p uint16, ps *ProcSnap) (uint8, error) {
	koff := OffKProcs + int(p)*KProcSize
	ps.Hart, ps.UintrPending, ps.Prio = d.u8(koff+5), d.u8(koff+4)&ProcUintr != 0, d.u8(OffProcPrio+int(p))
	lp := d.u8(koff + 6)
	if want := expectPrio(lp, ps.UintrPending); want != ps.Prio {
		return lp, d.errf(OffProcPrio+int(p), "process %d: global priority %d, its local priority %d and interrupt flag say %d", p, ps.Prio, lp, want)
	}
	return lp, nil
}

// global decodes and checks the Global part of a dump.
func (d *reader) global() (*Snapshot, error) {
	if m := d.u32(0); m != GlobalMagic {
		return nil, d.errf(0, "magic %#x, want %#x", m, GlobalMagic)
	}
	if err := d.checkHeader([]headerCheck{
		{4, int(d.u16(4)), RegionVersion, "version"},
		{6, int(d.u16(6)), MaxProcs, "process slots"},
		{8, int(d.u16(8)), RingSize, "ring size"},
		{10, int(d.u8(10)), NumPrio, "priorities"},
		{11, int(d.u8(11)), MaxHarts, "harts"},
	}); err != nil {
		return nil, err
	}
	s := &Snapshot{Seq: d.u64(OffGSeq), Overflow: d.u64(40) + d.u64(48), Lock: d.u32(OffGLock)}
	s.GlobalPrio = make([]uint8, MaxProcs)
	for p := 0; p < MaxProcs; p++ {
		gp := d.u8(OffProcPrio + p)
		s.GlobalPrio[p] = gp
		if gp >= NumPrio && gp != Idle {
			return nil, d.errf(OffProcPrio+p, "process %d: global priority %d", p, gp)
		}
		if err := d.kproc(p); err != nil {
			return nil, err
		}
	}
	evs, err := d.ring(OffGSeq+8, OffGRing, RingSize, false)
	if err != nil {
		return nil, err
	}
	s.Events = evs
	return s, nil
}

// kproc checks process slot p's record.
func (d *reader) kproc(p int) error {
	off := OffKProcs + p*KProcSize
	flags, hart, lp := d.u8(off+4), d.u8(off+5), d.u8(off+6)
	switch {
	case flags&^(ProcUsed|ProcUintr) != 0:
		return d.errf(off+4, "process %d: unknown flags %#x", p, flags)
	case hart != NoHart && hart >= MaxHarts:
		return d.errf(off+5, "process %d: hart %d", p, hart)
	case lp != Idle && lp >= NumPrio:
		return d.errf(off+6, "process %d: sampled local priority %d", p, lp)
	case flags&ProcUsed != 0:
		return nil
	case hart != NoHart:
		return d.errf(off+5, "unused process slot %d names hart %d", p, hart)
	case flags&ProcUintr != 0:
		return d.errf(off+4, "unused process slot %d has a user interrupt pending", p)
	case lp != Idle:
		return d.errf(off+6, "unused process slot %d has local priority %d", p, lp)
	case d.u8(OffProcPrio+p) != Idle:
		return d.errf(OffProcPrio+p, "unused process %d has global priority %d", p, d.u8(OffProcPrio+p))
	}
	return nil
}

// harts decodes HartProc and cross-checks the process records.
func (d *reader) harts(s *Snapshot) error {
	for h := 0; h < MaxHarts; h++ {
		hs := HartSnap{Hart: uint8(h), Proc: d.u16(OffHartProc + 2*h), Co: NoCo}
		if hs.Proc != NoProc {
			ps := s.Proc(hs.Proc)
			if ps == nil || ps.Hart != uint8(h) {
				return d.errf(OffHartProc+2*h, "hart %d runs process %d, which does not name it", h, hs.Proc)
			}
			hs.Co = ps.Current
		}
		s.Harts = append(s.Harts, hs)
	}
	for _, ps := range s.Procs {
		if ps.Hart != NoHart && s.Harts[ps.Hart].Proc != ps.ID {
			return d.errf(OffKProcs+int(ps.ID)*KProcSize+5, "process %d names hart %d, which runs %d", ps.ID, ps.Hart, s.Harts[ps.Hart].Proc)
		}
	}
	return nil
}
