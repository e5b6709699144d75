package ktrace

import (
	"encoding/binary"
	"fmt"

	"copslab/sched"
)

// Header is the decoded head of a ring dump.
type Header struct {
	Size     int    // event slots
	Seq      uint64 // next event's sequence number
	Tail     uint64 // oldest event still in the ring
	Overflow uint64 // events the kernel dropped (ring full)
	Clock    bool   // Time is ns since boot (else 0: no clock set yet)
}

// DecodeHeader checks and decodes the first HeaderSize bytes of a ring.
func DecodeHeader(b []byte) (Header, error) {
	if len(b) < HeaderSize {
		return Header{}, fmt.Errorf("ktrace: header is %d bytes, need %d", len(b), HeaderSize)
	}
	le := binary.LittleEndian
	if m := le.Uint32(b); m != Magic {
		return Header{}, fmt.Errorf("ktrace: magic %#x, want %#x (ring not initialised yet, or not a %s)", m, Magic, Symbol)
	}
	if v := le.Uint16(b[4:]); v != Version {
		return Header{}, fmt.Errorf("ktrace: version %d, this reader knows %d", v, Version)
	}
	h := Header{Size: int(le.Uint16(b[6:])), Seq: le.Uint64(b[OffSeq:]), Tail: le.Uint64(b[OffTail:]),
		Overflow: le.Uint64(b[OffOverflow:]), Clock: le.Uint64(b[OffClock:]) != 0}
	if es := le.Uint16(b[8:]); es != sched.EventSize {
		return Header{}, fmt.Errorf("ktrace: event size %d, want %d", es, sched.EventSize)
	}
	if h.Size == 0 || h.Size&(h.Size-1) != 0 {
		return Header{}, fmt.Errorf("ktrace: ring size %d is not a power of two", h.Size)
	}
	if h.Tail > h.Seq || h.Seq-h.Tail > uint64(h.Size) {
		return Header{}, fmt.Errorf("ktrace: tail %d, seq %d (ring of %d)", h.Tail, h.Seq, h.Size)
	}
	return h, nil
}

// Slot is the byte offset of event seq in a ring of h.Size slots.
func (h Header) Slot(seq uint64) int {
	return OffEvents + int(seq&uint64(h.Size-1))*sched.EventSize
}

// DecodeEvents decodes consecutive records from b, which holds the events
// with sequence numbers first, first+1, …; each record's Seq must match
// and every enum must be in range.
func DecodeEvents(b []byte, first uint64) ([]sched.Event, error) {
	if len(b)%sched.EventSize != 0 {
		return nil, fmt.Errorf("ktrace: %d bytes is not a whole number of %d-byte events", len(b), sched.EventSize)
	}
	evs := make([]sched.Event, len(b)/sched.EventSize)
	for i := range evs {
		e := &evs[i]
		if _, err := binary.Decode(b[i*sched.EventSize:], binary.LittleEndian, e); err != nil {
			return nil, fmt.Errorf("ktrace: event %d: %w", first+uint64(i), err)
		}
		switch {
		case e.Seq != first+uint64(i):
			return nil, fmt.Errorf("ktrace: record holds seq %d, expected %d (overwritten while read?)", e.Seq, first+uint64(i))
		case e.From >= sched.NumStates || e.To >= sched.NumStates || e.Cause >= sched.NumCauses || e.Kind >= sched.NumKinds:
			return nil, fmt.Errorf("ktrace: event %d: bad enum (from %d to %d cause %d kind %d)", e.Seq, e.From, e.To, e.Cause, e.Kind)
		}
	}
	return evs, nil
}

// DecodeTable decodes a dump of the thread table (TableBytes long) into
// its live slots; a table the kernel has not filled yet holds none.
func DecodeTable(b []byte) ([]Slot, error) {
	if len(b) < TableBytes {
		return nil, fmt.Errorf("ktrace: thread table dump is %d bytes, need %d", len(b), TableBytes)
	}
	le := binary.LittleEndian
	switch {
	case le.Uint32(b) == 0:
		return nil, nil
	case le.Uint32(b) != TableMagic:
		return nil, fmt.Errorf("ktrace: thread table magic %#x, want %#x", le.Uint32(b), TableMagic)
	case le.Uint16(b[6:]) != MaxThreads || le.Uint16(b[8:]) != SlotSize:
		return nil, fmt.Errorf("ktrace: thread table of %d slots of %d bytes, this reader knows %d of %d",
			le.Uint16(b[6:]), le.Uint16(b[8:]), MaxThreads, SlotSize)
	}
	var tb ThreadTable
	if _, err := binary.Decode(b, le, &tb); err != nil {
		return nil, err
	}
	var out []Slot
	for _, s := range tb.Slot {
		if s.TID != 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// ProcName is the slot's process name.
func (s *Slot) ProcName() string {
	n := 0
	for n < len(s.Name) && s.Name[n] != 0 {
		n++
	}
	return string(s.Name[:n])
}
