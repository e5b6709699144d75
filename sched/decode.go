package sched

import (
	"encoding/binary"
	"fmt"
)

// Decode turns a raw byte dump of a host Region (layout.go: the Global,
// then one Local per process slot) into a Snapshot. It checks the Global
// (DecodeGlobal's checks) and the Local of every process in use
// (DecodeLocal's), cross-checks them (every global priority against its Local's
// queues and the uintr flag, the hart table against the process records)
// and returns a *DecodeError naming the byte offset of the first
// inconsistency. It never panics. Bytes after RegionSize are ignored.
func Decode(b []byte) (*Snapshot, error) {
	if len(b) < RegionSize {
		return nil, (&reader{b: b}).errf(0, "dump is %d bytes, region needs %d", len(b), RegionSize)
	}
	g := &reader{b: b[:GlobalSize], lockOff: OffGLock}
	s, err := g.global()
	if err != nil {
		return nil, err
	}
	for p := uint16(0); p < MaxProcs; p++ {
		base := GlobalPad + int(p)*LocalSize
		if !g.used(p) {
			if err := unusedLocal(b[base:base+LocalSize], base, p); err != nil {
				return nil, err
			}
			continue
		}
		ls, err := decodeLocal(b[base:base+LocalSize], base, p)
		if err != nil {
			return nil, err
		}
		ps := ls.Proc
		lp, err := g.procRecord(p, &ps)
		if err != nil {
			return nil, err
		}
		if lp != ls.Prio {
			return nil, g.errf(OffKProcs+int(p)*KProcSize+6, "process %d: sampled local priority %d, its Local says %d", p, lp, ls.Prio)
		}
		s.Procs = append(s.Procs, ps)
		s.Cos = append(s.Cos, ls.Cos...)
	}
	if err := g.harts(s); err != nil {
		return nil, err
	}
	return s, nil
}

// unusedLocal checks that the Local of an unused process slot holds
// nothing (FreeProc clears it): no queue links, no coroutines, no events.
func unusedLocal(b []byte, base int, p uint16) error {
	for i, c := range b {
		if c != 0 {
			return (&reader{b: b, base: base}).errf(i, "unused process slot %d has state in its Local (byte %d is %#x)", p, i, c)
		}
	}
	return nil
}

// expectPrio is the global priority rule (pick.go, refresh).
func expectPrio(local uint8, uintr bool) uint8 {
	if uintr {
		return uintrPrio(local)
	}
	return local
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

// reader reads little-endian fields of one region (a Global or a Local)
// whose first byte is at offset base of the whole dump.
type reader struct {
	b       []byte
	base    int
	lockOff int
}

func (d *reader) errf(off int, f string, a ...any) error {
	locked := d.lockOff > 0 && len(d.b) >= d.lockOff+4 && d.u32(d.lockOff) != 0
	return &DecodeError{Off: d.base + off, Msg: fmt.Sprintf(f, a...), Locked: locked}
}

func (d *reader) u8(off int) uint8   { return d.b[off] }
func (d *reader) u16(off int) uint16 { return binary.LittleEndian.Uint16(d.b[off:]) }
func (d *reader) u32(off int) uint32 { return binary.LittleEndian.Uint32(d.b[off:]) }
func (d *reader) u64(off int) uint64 { return binary.LittleEndian.Uint64(d.b[off:]) }

type headerCheck struct {
	off       int
	got, want int
	what      string
}

func (d *reader) checkHeader(cs []headerCheck) error {
	for _, c := range cs {
		if c.got != c.want {
			return d.errf(c.off, "%s is %d, this decoder knows %d", c.what, c.got, c.want)
		}
	}
	return nil
}

// event reads the Event at off.
func (d *reader) event(off int) Event {
	return Event{Time: d.u64(off), Seq: d.u64(off + 8), Co: d.u32(off + 16), Waker: d.u32(off + 20),
		Proc: d.u16(off + 24), Hart: d.u8(off + 26), Prio: d.u8(off + 27), From: State(d.u8(off + 28)),
		To: State(d.u8(off + 29)), Cause: Cause(d.u8(off + 30)), Kind: Kind(d.u8(off + 31)), Arg: d.u64(off + 32)}
}

// ring decodes the records seq tail..seq-1 of a ring of n at off. In a
// Local's ring (local) a switch record is valid and becomes its two
// events (SplitSwitch), both with the record's sequence number.
func (d *reader) ring(tailOff int, off, n int, local bool) ([]Event, error) {
	seq, tail := d.u64(tailOff-8), d.u64(tailOff)
	if tail > seq || seq-tail > uint64(n) {
		return nil, d.errf(tailOff, "ring tail %d, seq %d", tail, seq)
	}
	var evs []Event
	for q := tail; q != seq; q++ {
		eo := off + int(q&uint64(n-1))*EventSize
		e := d.event(eo)
		sw := local && e.Cause == CauseSwitch
		switch {
		case e.Seq != q:
			return nil, d.errf(eo+8, "ring event has seq %d, expected %d", e.Seq, q)
		case e.From >= NumStates || e.To >= NumStates:
			return nil, d.errf(eo+28, "event %d: states %d→%d", q, e.From, e.To)
		case e.Cause >= NumCauses && !sw:
			return nil, d.errf(eo+30, "event %d: cause %d", q, e.Cause)
		case e.Kind >= NumKinds:
			return nil, d.errf(eo+31, "event %d: kind %d", q, e.Kind)
		case sw && (e.From != Running || e.To != Ready):
			return nil, d.errf(eo+28, "switch record %d: states %d→%d, want Running→Ready", q, e.From, e.To)
		case sw && (Kind(e.Arg) >= NumKinds || e.Arg>>8 >= NumPrio):
			return nil, d.errf(eo+32, "switch record %d: fetched kind and priority %#x", q, e.Arg)
		}
		if y, f, ok := SplitSwitch(&e); sw && ok {
			evs = append(evs, y, f)
			continue
		}
		evs = append(evs, e)
	}
	return evs, nil
}
