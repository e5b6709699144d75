package sched

// LocalSnap is a decoded Local: one process's queues, current coroutine,
// control blocks and the events still in its ring.
type LocalSnap struct {
	Proc   ProcSnap // Hart, UintrPending and Prio (global) are the kernel's: left Idle/NoHart here
	Prio   uint8    // local priority: best ready queue or current coroutine, or Idle
	Cos    []CoSnap
	Events []Event // the events still in its ring, each switch record split into its two (SplitSwitch)
}

// DecodeLocal checks a raw dump of process proc's Local (layout.go) —
// header, every control block, the free list and every ready queue (cycle
// detection), the current coroutine, the live count and the ring — and
// returns what it holds, or a *DecodeError with the offset in b. It never
// panics. Bytes after LocalSize are ignored. This is the full check a
// debugger or a test makes; the kernel's per-decision reader is Sample.
func DecodeLocal(b []byte, proc uint16) (*LocalSnap, error) {
	if len(b) < LocalSize {
		return nil, (&reader{b: b}).errf(0, "dump is %d bytes, a Local needs %d", len(b), LocalSize)
	}
	return decodeLocal(b[:LocalSize], 0, proc)
}

type localDecoder struct {
	reader
	proc uint16
	cbs  [LocalCos]CB
	seen [LocalCos]bool // queued or free-listed: each slot at most once
}

func decodeLocal(b []byte, base int, proc uint16) (*LocalSnap, error) {
	d := &localDecoder{reader: reader{b: b, base: base, lockOff: OffLLock}, proc: proc}
	if m := d.u32(0); m != LocalMagic {
		return nil, d.errf(0, "process %d: magic %#x, want %#x", proc, m, LocalMagic)
	}
	if err := d.checkHeader([]headerCheck{
		{4, int(d.u16(4)), RegionVersion, "version"},
		{6, int(d.u16(6)), int(proc), "owner process"},
		{8, int(d.u16(8)), LocalCos, "coroutine slots"},
		{10, int(d.u16(10)), LocalRing, "ring size"},
		{12, int(d.u8(12)), NumPrio, "priorities"},
	}); err != nil {
		return nil, err
	}
	ls := &LocalSnap{Proc: ProcSnap{ID: proc, Bitmap: d.u8(13), Current: NoCo, Hart: NoHart, Prio: Idle}}
	steps := []func(*LocalSnap) error{d.cos, d.freeList, d.queues, d.current}
	for _, step := range steps {
		if err := step(ls); err != nil {
			return nil, err
		}
	}
	evs, err := d.ring(OffLSeq+8, OffLRing, LocalRing, true)
	if err != nil {
		return nil, err
	}
	ls.Events = evs
	ls.Prio = Idle
	if q := lowestBit(ls.Proc.Bitmap); q < NumPrio {
		ls.Prio = q
	}
	if ls.Proc.Current != NoCo {
		ls.Prio = min(ls.Prio, d.cbs[slotOf(ls.Proc.Current)].Prio)
	}
	return ls, nil
}

// cos reads and checks every control block and the live count.
func (d *localDecoder) cos(ls *LocalSnap) error {
	live := 0
	for i := range d.cbs {
		off := OffCos + i*CBSize
		cb := CB{ID: d.u32(off), Next: d.u16(off + 4), Prev: d.u16(off + 6),
			Proc: d.u16(off + 8), Kind: Kind(d.u8(off + 10)), Prio: d.u8(off + 11),
			State: State(d.u8(off + 12)), Flags: d.u8(off + 13)}
		d.cbs[i] = cb
		free := cb.Flags&CBFree != 0
		switch {
		case cb.Flags&^CBFree != 0:
			return d.errf(off+13, "coroutine slot %d: unknown flags %#x", i, cb.Flags)
		case free && cb.State != Exited:
			return d.errf(off+12, "free coroutine slot %d in state %v", i, cb.State)
		case !free && cb.ID == 0:
			return d.errf(off, "coroutine slot %d in use without an id", i)
		case cb.ID == NoCo:
			return d.errf(off, "coroutine slot %d holds the reserved id %#x", i, cb.ID)
		case cb.Proc != d.proc:
			return d.errf(off+8, "coroutine slot %d: process %d in the Local of process %d", i, cb.Proc, d.proc)
		case cb.ID == 0:
			continue
		case int(slotOf(cb.ID)) != i || ProcOf(cb.ID) != d.proc:
			return d.errf(off, "coroutine id %#x in slot %d of process %d", cb.ID, i, d.proc)
		case cb.Kind >= NumKinds:
			return d.errf(off+10, "coroutine %#x: kind %d", cb.ID, cb.Kind)
		case cb.Kind != KindUser && d.proc != 0:
			return d.errf(off+10, "coroutine %#x: kernel kind %v in user process %d", cb.ID, cb.Kind, d.proc)
		case cb.Prio >= NumPrio:
			return d.errf(off+11, "coroutine %#x: priority %d", cb.ID, cb.Prio)
		case cb.State >= NumStates:
			return d.errf(off+12, "coroutine %#x: state %d", cb.ID, cb.State)
		case !free && cb.State == Exited:
			return d.errf(off+12, "exited coroutine %#x not on the free list", cb.ID)
		case !free && cb.State == Created:
			return d.errf(off+12, "coroutine %#x left in Created (Spawn queues it Ready at once)", cb.ID)
		}
		ls.Cos = append(ls.Cos, CoSnap{ID: cb.ID, Proc: cb.Proc, Kind: cb.Kind, Prio: cb.Prio, State: cb.State})
		if !free {
			live++
		}
	}
	if got := int(d.u16(24)); got != live {
		return d.errf(24, "process %d: live count %d, %d coroutines are live", d.proc, got, live)
	}
	ls.Proc.Live = live
	return nil
}

// freeList walks the free list: every free slot exactly once.
func (d *localDecoder) freeList(*LocalSnap) error {
	want := 0
	for i := range d.cbs {
		if d.cbs[i].Flags&CBFree != 0 {
			want++
		}
	}
	n, last, err := d.walk(d.u16(20), 20, func(slot int, cb *CB) error {
		if cb.Flags&CBFree == 0 {
			return d.errf(OffCos+slot*CBSize+13, "slot %d on the free list is not free", slot)
		}
		return nil
	}, false)
	if err != nil {
		return err
	}
	if n != want {
		return d.errf(20, "free list holds %d slots, %d are marked free", n, want)
	}
	if tail := d.u16(22); tail != last {
		return d.errf(22, "free list tail %d, list ends at %d", tail, last)
	}
	return nil
}

// walk follows Next links from head, marking slots seen; with prev it also
// checks the Prev links. It returns the count and the last slot.
func (d *localDecoder) walk(head uint16, off int, visit func(int, *CB) error, prev bool) (int, uint16, error) {
	n, last := 0, uint16(NoIdx)
	for s := head; s != NoIdx; s = d.cbs[s].Next {
		if int(s) >= LocalCos {
			return 0, 0, d.errf(off, "link to slot %d out of range", s)
		}
		if d.seen[s] {
			return 0, 0, d.errf(OffCos+int(s)*CBSize+4, "slot %d linked twice (cycle or shared)", s)
		}
		d.seen[s] = true
		if prev && d.cbs[s].Prev != last {
			return 0, 0, d.errf(OffCos+int(s)*CBSize+6, "slot %d: prev %d, want %d", s, d.cbs[s].Prev, last)
		}
		if err := visit(int(s), &d.cbs[s]); err != nil {
			return 0, 0, err
		}
		n, last, off = n+1, s, OffCos+int(s)*CBSize+4
	}
	return n, last, nil
}

// queues walks the ready queues and checks them against the bitmap and
// the Ready coroutines.
func (d *localDecoder) queues(ls *LocalSnap) error {
	ps := &ls.Proc
	ready, queued := 0, 0
	for i := range d.cbs {
		if d.cbs[i].Flags&CBFree == 0 && d.cbs[i].ID != 0 && d.cbs[i].State == Ready {
			ready++
		}
	}
	for q := 0; q < NumPrio; q++ {
		hoff, toff := OffQHead+2*q, OffQTail+2*q
		n, last, err := d.walk(d.u16(hoff), hoff, func(slot int, cb *CB) error {
			if cb.Flags&CBFree != 0 || cb.State != Ready || int(queueOf(cb.Prio)) != q {
				return d.errf(OffCos+slot*CBSize, "slot %d (state %v, priority %d) in ready queue %d of process %d",
					slot, cb.State, cb.Prio, q, d.proc)
			}
			ps.Queues[q] = append(ps.Queues[q], cb.ID)
			return nil
		}, true)
		if err != nil {
			return err
		}
		if tail := d.u16(toff); tail != last {
			return d.errf(toff, "process %d queue %d: tail %d, list ends at %d", d.proc, q, tail, last)
		}
		if (n > 0) != (ps.Bitmap&(1<<q) != 0) {
			return d.errf(13, "process %d: bitmap %#x disagrees with queue %d (%d entries)", d.proc, ps.Bitmap, q, n)
		}
		queued += n
	}
	if queued != ready {
		return d.errf(OffQHead, "process %d: %d coroutines are Ready but %d are queued", d.proc, ready, queued)
	}
	return nil
}

// current checks the current coroutine.
func (d *localDecoder) current(ls *LocalSnap) error {
	cur := d.u16(14)
	for i := range d.cbs {
		cb := &d.cbs[i]
		if cb.ID != 0 && cb.Flags&CBFree == 0 && (cb.State == Running || cb.State == Suspended) && cur != uint16(i) {
			return d.errf(OffCos+i*CBSize+12, "coroutine %#x is %v but not current in process %d", cb.ID, cb.State, d.proc)
		}
	}
	if cur == NoIdx {
		return nil
	}
	if int(cur) >= LocalCos {
		return d.errf(14, "process %d: current slot %d", d.proc, cur)
	}
	cb := &d.cbs[cur]
	if cb.Flags&CBFree != 0 || (cb.State != Running && cb.State != Suspended) {
		return d.errf(14, "process %d: current slot %d is %v", d.proc, cur, cb.State)
	}
	ls.Proc.Current = cb.ID
	return nil
}
