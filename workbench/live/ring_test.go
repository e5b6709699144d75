package live

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/ktrace"
	"copslab/sched"
)

// ramMem is guest memory as a byte slice at base (the ring written by
// ktrace's own encoding, as the kernel lays it out).
type ramMem struct {
	base uint64
	b    []byte
}

func (m *ramMem) ReadMemory(a uint64, n int) ([]byte, error) {
	return append([]byte(nil), m.b[a-m.base:a-m.base+uint64(n)]...), nil
}
func (m *ramMem) WriteMemory(a uint64, d []byte) error { copy(m.b[a-m.base:], d); return nil }

// ring builds a ring image holding events [tail, seq).
func ring(tail, seq uint64) *ramMem {
	m := &ramMem{base: 0x1000, b: make([]byte, ktrace.RingBytes)}
	le := binary.LittleEndian
	le.PutUint32(m.b, ktrace.Magic)
	le.PutUint16(m.b[4:], ktrace.Version)
	le.PutUint16(m.b[6:], ktrace.Size)
	le.PutUint16(m.b[8:], sched.EventSize)
	le.PutUint64(m.b[ktrace.OffSeq:], seq)
	le.PutUint64(m.b[ktrace.OffTail:], tail)
	for s := tail; s < seq; s++ {
		e := sched.Event{Seq: s, Time: s * 100, Co: uint32(s % 7), Kind: sched.KindUser, To: sched.Ready}
		off := ktrace.OffEvents + int(s%ktrace.Size)*sched.EventSize
		binary.Encode(m.b[off:], le, &e)
	}
	return m
}

func TestRingReaderDrainsWrapsAndCountsLost(t *testing.T) {
	var r RingReader
	r.Addr = 0x1000
	if evs, err := r.Drain(&ramMem{base: 0x1000, b: make([]byte, ktrace.RingBytes)}); err != nil || len(evs) != 0 {
		t.Fatalf("zero ring: %d events, %v", len(evs), err)
	}
	m := ring(0, 10)
	evs, err := r.Drain(m)
	if err != nil || len(evs) != 10 || r.Next != 10 || r.Lost != 0 {
		t.Fatalf("first drain: %d events, next %d lost %d, %v", len(evs), r.Next, r.Lost, err)
	}
	if tail := binary.LittleEndian.Uint64(m.b[ktrace.OffTail:]); tail != 10 {
		t.Errorf("tail written back %d, want 10", tail)
	}
	// The kernel overwrote: 5000 recorded since, ring keeps the newest 4096, wrapping.
	m = ring(10+5000-ktrace.Size, 10+5000)
	evs, err = r.Drain(m)
	if err != nil || len(evs) != ktrace.Size || r.Lost != 5000-ktrace.Size {
		t.Fatalf("overflow drain: %d events, lost %d, %v", len(evs), r.Lost, err)
	}
	for i, e := range evs {
		if e.Seq != 10+5000-ktrace.Size+uint64(i) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
	}
	if r.Reads != 1+2+3 { // header; header+events; header+two wrapped runs
		t.Errorf("%d reads", r.Reads)
	}
	// A record overwritten while we read (seq mismatch) is an error, not garbage.
	m = ring(5010, 5012)
	m.b[ktrace.OffEvents+int(5010%ktrace.Size)*sched.EventSize+8] ^= 1
	if _, err := r.Drain(m); err == nil {
		t.Error("corrupt record accepted")
	}
}
