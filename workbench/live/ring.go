package live

import (
	"encoding/binary"

	"copslab/kernel/ktrace"
	"copslab/sched"
)

// Mem is guest memory as the gdb stub exposes it (read and written only
// while the hart is halted).
type Mem interface {
	ReadMemory(addr uint64, n int) ([]byte, error)
	WriteMemory(addr uint64, data []byte) error
}

// RingReader drains the kernel's trace ring (kernel/ktrace) through Mem.
// It reads the events [Tail, Seq) and writes Seq back into Tail, so the
// kernel's ring never fills while the reader keeps up; events the kernel
// had to drop show up as a gap between the next sequence number expected
// and Tail, and are counted in Lost.
type RingReader struct {
	Addr  uint64 // address of ktrace.Buf
	Next  uint64 // sequence number of the next event expected
	Lost  uint64 // events overwritten before they were read
	Reads int    // memory reads made (for the streaming measurements)
	Bytes int    // bytes read
	Last  int    // events the last Drain returned
	Peak  int    // most events one Drain returned: how full the ring got
}

// Drain returns the new events. A ring the kernel has not initialised yet
// (still zero: the kernel has not reached its first transition) yields
// nothing.
func (r *RingReader) Drain(m Mem) ([]sched.Event, error) {
	r.Last = 0
	hb, err := r.read(m, r.Addr, ktrace.HeaderSize)
	if err != nil {
		return nil, err
	}
	if binary.LittleEndian.Uint32(hb) == 0 {
		return nil, nil
	}
	h, err := ktrace.DecodeHeader(hb)
	if err != nil {
		return nil, err
	}
	if h.Tail > r.Next {
		r.Lost += h.Tail - r.Next
		r.Next = h.Tail
	}
	if h.Seq <= r.Next {
		return nil, nil
	}
	var out []sched.Event
	for s := r.Next; s < h.Seq; {
		// One contiguous run: up to the ring's end or Seq.
		slot := s & uint64(h.Size-1)
		n := min(h.Seq-s, uint64(h.Size)-slot)
		b, err := r.read(m, r.Addr+uint64(h.Slot(s)), int(n)*sched.EventSize)
		if err != nil {
			return out, err
		}
		evs, err := ktrace.DecodeEvents(b, s)
		if err != nil {
			return out, err
		}
		out = append(out, evs...)
		s += n
	}
	r.Next = h.Seq
	r.Last = len(out)
	r.Peak = max(r.Peak, r.Last)
	var tail [8]byte
	binary.LittleEndian.PutUint64(tail[:], h.Seq)
	return out, m.WriteMemory(r.Addr+ktrace.OffTail, tail[:])
}

func (r *RingReader) read(m Mem, addr uint64, n int) ([]byte, error) {
	r.Reads++
	r.Bytes += n
	return m.ReadMemory(addr, n)
}
