package sched

// procs decodes the process blocks and the global priority array.
func (d *decoder) procs(s *Snapshot) error {
	ready := 0
	for i := range d.cbs {
		if d.cbs[i].Flags&CBFree == 0 && d.cbs[i].ID != 0 && d.cbs[i].State == Ready {
			ready++
		}
	}
	queued := 0
	s.GlobalPrio = make([]uint8, MaxProcs)
	for p := 0; p < MaxProcs; p++ {
		off := OffProcs + p*ProcBlockSize
		gp := d.u8(OffProcPrio + p)
		s.GlobalPrio[p] = gp
		if gp >= NumPrio && gp != Idle {
			return d.errf(OffProcPrio+p, "process %d: global priority %d", p, gp)
		}
		flags := d.u8(off + 37)
		if flags&^(ProcUsed|ProcUintr) != 0 {
			return d.errf(off+37, "process %d: unknown flags %#x", p, flags)
		}
		if flags&ProcUsed == 0 {
			if err := d.unusedProc(p, off, gp); err != nil {
				return err
			}
			continue
		}
		ps, n, err := d.proc(p, off)
		if err != nil {
			return err
		}
		queued += n
		s.Procs = append(s.Procs, ps)
	}
	for i := range d.cbs {
		cb := &d.cbs[i]
		if cb.ID != 0 && cb.Flags&CBFree == 0 && d.u8(OffProcs+int(cb.Proc)*ProcBlockSize+37)&ProcUsed == 0 {
			return d.errf(OffCos+i*CBSize+8, "coroutine %#x belongs to unused process %d", cb.ID, cb.Proc)
		}
	}
	if queued != ready {
		return d.errf(OffProcs, "%d coroutines are Ready but %d are queued", ready, queued)
	}
	return nil
}

func (d *decoder) unusedProc(p, off int, gp uint8) error {
	if d.u8(off+36) != 0 || d.u16(off+32) != NoIdx || d.u16(off+34) != 0 {
		return d.errf(off, "unused process slot %d has state", p)
	}
	for i := 0; i < 2*NumPrio; i++ {
		if l := d.u16(off + 2*i); l != NoIdx {
			return d.errf(off+2*i, "unused process slot %d has queue link %d", p, l)
		}
	}
	if h := d.u8(off + 38); h != NoHart {
		return d.errf(off+38, "unused process slot %d names hart %d", p, h)
	}
	if d.u8(off+37)&ProcUintr != 0 {
		return d.errf(off+37, "unused process slot %d has a user interrupt pending", p)
	}
	if gp != Idle {
		return d.errf(OffProcPrio+p, "unused process %d has global priority %d", p, gp)
	}
	return nil
}

// proc decodes one in-use process and returns how many coroutines it queues.
func (d *decoder) proc(p, off int) (ProcSnap, int, error) {
	ps := ProcSnap{ID: uint16(p), Bitmap: d.u8(off + 36), Current: NoCo,
		Hart: d.u8(off + 38), UintrPending: d.u8(off+37)&ProcUintr != 0, Prio: d.u8(OffProcPrio + p)}
	queued := 0
	for q := 0; q < NumPrio; q++ {
		n, last, err := d.walk(d.u16(off+2*q), off+2*q, func(slot int, cb *CB) error {
			if cb.Flags&CBFree != 0 || cb.State != Ready || int(cb.Proc) != p || int(queueOf(cb.Prio)) != q {
				return d.errf(OffCos+slot*CBSize, "slot %d (state %v, process %d, priority %d) in ready queue %d of process %d",
					slot, cb.State, cb.Proc, cb.Prio, q, p)
			}
			ps.Queues[q] = append(ps.Queues[q], cb.ID)
			return nil
		}, true)
		if err != nil {
			return ps, 0, err
		}
		if tail := d.u16(off + 16 + 2*q); tail != last {
			return ps, 0, d.errf(off+16+2*q, "process %d queue %d: tail %d, list ends at %d", p, q, tail, last)
		}
		if (n > 0) != (ps.Bitmap&(1<<q) != 0) {
			return ps, 0, d.errf(off+36, "process %d: bitmap %#x disagrees with queue %d (%d entries)", p, ps.Bitmap, q, n)
		}
		queued += n
	}
	if err := d.procCur(&ps, off); err != nil {
		return ps, 0, err
	}
	if ps.Hart != NoHart && ps.Hart >= MaxHarts {
		return ps, 0, d.errf(off+38, "process %d: hart %d", p, ps.Hart)
	}
	if want := d.expectPrio(&ps); want != ps.Prio {
		return ps, 0, d.errf(OffProcPrio+p, "process %d: global priority %d, its queues say %d", p, ps.Prio, want)
	}
	return ps, queued, nil
}

// procCur checks the current coroutine and the live count.
func (d *decoder) procCur(ps *ProcSnap, off int) error {
	live := 0
	for i := range d.cbs {
		cb := &d.cbs[i]
		if cb.ID != 0 && cb.Flags&CBFree == 0 && int(cb.Proc) == int(ps.ID) {
			live++
			if (cb.State == Running || cb.State == Suspended) && d.u16(off+32) != uint16(i) {
				return d.errf(OffCos+i*CBSize+12, "coroutine %#x is %v but not current in process %d", cb.ID, cb.State, ps.ID)
			}
		}
	}
	if got := int(d.u16(off + 34)); got != live {
		return d.errf(off+34, "process %d: live count %d, %d coroutines", ps.ID, got, live)
	}
	ps.Live = live
	cur := d.u16(off + 32)
	if cur == NoIdx {
		return nil
	}
	if int(cur) >= MaxCos {
		return d.errf(off+32, "process %d: current slot %d", ps.ID, cur)
	}
	cb := &d.cbs[cur]
	if cb.Flags&CBFree != 0 || cb.Proc != ps.ID || (cb.State != Running && cb.State != Suspended) {
		return d.errf(off+32, "process %d: current slot %d is %v in process %d", ps.ID, cur, cb.State, cb.Proc)
	}
	ps.Current = cb.ID
	return nil
}

// expectPrio is refresh's rule applied to a decoded process.
func (d *decoder) expectPrio(ps *ProcSnap) uint8 {
	best := uint8(Idle)
	if q := lowestBit(ps.Bitmap); q < NumPrio {
		best = q
	}
	if ps.Current != NoCo {
		if cp := d.cbs[slotOf(ps.Current)].Prio; cp < best {
			best = cp
		}
	}
	if ps.UintrPending {
		best = uintrPrio(best)
	}
	return best
}

// harts decodes HartProc and cross-checks ProcBlock.Hart.
func (d *decoder) harts(s *Snapshot) error {
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
			return d.errf(OffProcs+int(ps.ID)*ProcBlockSize+38, "process %d names hart %d, which runs %d", ps.ID, ps.Hart, s.Harts[ps.Hart].Proc)
		}
	}
	return nil
}

// ring decodes the trace events still in the ring.
func (d *decoder) ring(s *Snapshot) error {
	seq, tail := d.u64(OffSeq), d.u64(40)
	if tail > seq || seq-tail > RingSize {
		return d.errf(40, "ring tail %d, seq %d", tail, seq)
	}
	for q := tail; q != seq; q++ {
		off := OffRing + int(q&(RingSize-1))*EventSize
		e := Event{Time: d.u64(off), Seq: d.u64(off + 8), Co: d.u32(off + 16), Waker: d.u32(off + 20),
			Proc: d.u16(off + 24), Hart: d.u8(off + 26), Prio: d.u8(off + 27), From: State(d.u8(off + 28)),
			To: State(d.u8(off + 29)), Cause: Cause(d.u8(off + 30)), Kind: Kind(d.u8(off + 31)), Arg: d.u64(off + 32)}
		switch {
		case e.Seq != q:
			return d.errf(off+8, "ring event has seq %d, expected %d", e.Seq, q)
		case e.From >= NumStates || e.To >= NumStates:
			return d.errf(off+28, "event %d: states %d→%d", q, e.From, e.To)
		case e.Cause >= NumCauses:
			return d.errf(off+30, "event %d: cause %d", q, e.Cause)
		case e.Kind >= NumKinds:
			return d.errf(off+31, "event %d: kind %d", q, e.Kind)
		}
		s.Events = append(s.Events, e)
	}
	return nil
}
