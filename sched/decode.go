package sched

import (
	"encoding/binary"
	"fmt"
)

// Decode turns a raw byte dump of a region (layout.go) into a Snapshot.
// It checks the header, every enum, every index and link, walks each ready
// queue and the free list with cycle detection, and recomputes the global
// priority array; any inconsistency is a *DecodeError naming the byte
// offset. It never panics. Bytes after RegionSize are ignored.
func Decode(b []byte) (*Snapshot, error) {
	d := &decoder{b: b}
	if len(b) < RegionSize {
		return nil, d.errf(0, "dump is %d bytes, region needs %d", len(b), RegionSize)
	}
	if err := d.header(); err != nil {
		return nil, err
	}
	s := &Snapshot{Seq: d.u64(OffSeq), Overflow: d.u64(48), Lock: d.u32(OffLock)}
	steps := []func(*Snapshot) error{d.cos, d.freeList, d.procs, d.harts, d.ring}
	for _, step := range steps {
		if err := step(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// DecodeError reports where a dump is inconsistent.
type DecodeError struct {
	Off    int // byte offset in the dump
	Msg    string
	Locked bool // the lock word was set: the dump may be mid-operation
}

func (e *DecodeError) Error() string {
	m := fmt.Sprintf("sched: bad region at byte %d: %s", e.Off, e.Msg)
	if e.Locked {
		m += " (region lock was held when dumped)"
	}
	return m
}

type decoder struct {
	b    []byte
	cbs  [MaxCos]CB
	seen [MaxCos]bool // queued or free-listed: each slot at most once
}

func (d *decoder) errf(off int, f string, a ...any) error {
	locked := len(d.b) >= OffLock+4 && d.u32(OffLock) != 0
	return &DecodeError{Off: off, Msg: fmt.Sprintf(f, a...), Locked: locked}
}

func (d *decoder) u8(off int) uint8   { return d.b[off] }
func (d *decoder) u16(off int) uint16 { return binary.LittleEndian.Uint16(d.b[off:]) }
func (d *decoder) u32(off int) uint32 { return binary.LittleEndian.Uint32(d.b[off:]) }
func (d *decoder) u64(off int) uint64 { return binary.LittleEndian.Uint64(d.b[off:]) }

func (d *decoder) header() error {
	if m := d.u32(0); m != RegionMagic {
		return d.errf(0, "magic %#x, want %#x", m, RegionMagic)
	}
	checks := []struct {
		off       int
		got, want int
		what      string
	}{
		{4, int(d.u16(4)), RegionVersion, "version"},
		{6, int(d.u16(6)), MaxProcs, "process slots"},
		{8, int(d.u16(8)), MaxCos, "coroutine slots"},
		{10, int(d.u16(10)), RingSize, "ring size"},
		{12, int(d.u8(12)), NumPrio, "priorities"},
		{13, int(d.u8(13)), MaxHarts, "harts"},
	}
	for _, c := range checks {
		if c.got != c.want {
			return d.errf(c.off, "%s is %d, this decoder knows %d", c.what, c.got, c.want)
		}
	}
	return nil
}

// cos reads and checks every control block.
func (d *decoder) cos(s *Snapshot) error {
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
		case cb.ID == 0:
			continue
		case int(slotOf(cb.ID)) != i:
			return d.errf(off, "coroutine id %#x in slot %d", cb.ID, i)
		case cb.Kind >= NumKinds:
			return d.errf(off+10, "coroutine %#x: kind %d", cb.ID, cb.Kind)
		case cb.Prio >= NumPrio:
			return d.errf(off+11, "coroutine %#x: priority %d", cb.ID, cb.Prio)
		case cb.State >= NumStates:
			return d.errf(off+12, "coroutine %#x: state %d", cb.ID, cb.State)
		case cb.Proc >= MaxProcs:
			return d.errf(off+8, "coroutine %#x: process %d", cb.ID, cb.Proc)
		case !free && cb.State == Exited:
			return d.errf(off+12, "exited coroutine %#x not on the free list", cb.ID)
		case !free && cb.State == Created:
			return d.errf(off+12, "coroutine %#x left in Created (Spawn queues it Ready at once)", cb.ID)
		}
		s.Cos = append(s.Cos, CoSnap{ID: cb.ID, Proc: cb.Proc, Kind: cb.Kind, Prio: cb.Prio, State: cb.State})
		if !free {
			live++
		}
	}
	if got := int(d.u16(26)); got != live {
		return d.errf(26, "header live count %d, %d coroutines are live", got, live)
	}
	return nil
}

// freeList walks the free list: every free slot exactly once.
func (d *decoder) freeList(*Snapshot) error {
	want := 0
	for i := range d.cbs {
		if d.cbs[i].Flags&CBFree != 0 {
			want++
		}
	}
	n, last, err := d.walk(d.u16(22), 22, func(slot int, cb *CB) error {
		if cb.Flags&CBFree == 0 {
			return d.errf(OffCos+slot*CBSize+13, "slot %d on the free list is not free", slot)
		}
		return nil
	}, false)
	if err != nil {
		return err
	}
	if n != want {
		return d.errf(22, "free list holds %d slots, %d are marked free", n, want)
	}
	if tail := d.u16(24); tail != last {
		return d.errf(24, "free list tail %d, list ends at %d", tail, last)
	}
	return nil
}

// walk follows Next links from head, marking slots seen; with prev it also
// checks the Prev links. It returns the count and the last slot.
func (d *decoder) walk(head uint16, off int, visit func(int, *CB) error, prev bool) (int, uint16, error) {
	n, last := 0, uint16(NoIdx)
	for s := head; s != NoIdx; s = d.cbs[s].Next {
		if int(s) >= MaxCos {
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
