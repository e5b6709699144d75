package ktrace

import (
	"sync/atomic"

	"copslab/sched"
)

// Symbol is the ELF symbol of the ring (the variable Buf).
const Symbol = "copslab/kernel/ktrace.Buf"

// Header values.
const (
	Magic   = 0x4352544B // "KTRC" little-endian
	Version = 1
	Size    = 4096 // event slots; a power of two
)

// Byte offsets of the layout in doc.go (checked by ring_test.go).
const (
	OffSeq      = 16
	OffTail     = 24
	OffOverflow = 32
	OffClock    = 40
	OffEvents   = 64
	HeaderSize  = OffEvents
	RingBytes   = OffEvents + Size*sched.EventSize
)

// Ring is the in-memory ring; its layout is the one documented in doc.go.
type Ring struct {
	Magic     uint32
	Version   uint16
	Size      uint16
	EventSize uint16
	_         [6]byte
	Seq       uint64
	Tail      uint64
	Overflow  uint64
	Clock     uint64
	_         [16]byte
	Events    [Size]sched.Event
}

// Buf is the kernel's ring. Readers find it through Symbol.
var Buf Ring

// init fills the header so a reader can check it at any time after the
// package is initialised.
func (r *Ring) init() {
	if r.Magic == Magic {
		return
	}
	r.Version, r.Size, r.EventSize = Version, Size, sched.EventSize
	atomic.StoreUint32(&r.Magic, Magic)
}

// PutSymbol is the ELF symbol of put: every recorded event passes through
// it, so a debugger that breaks on it stops at each scheduling decision
// (the event is in the ring once put returns). Kept out of line for that.
const PutSymbol = "copslab/kernel/ktrace.(*Ring).put"

// put appends e (its Seq is assigned here). The caller serialises puts.
//
//go:noinline
func (r *Ring) put(e sched.Event) {
	r.init()
	seq := r.Seq
	if seq-r.Tail >= Size {
		r.Overflow++
		atomic.StoreUint64(&r.Tail, r.Tail+1)
	}
	e.Seq = seq
	r.Events[seq&(Size-1)] = e
	atomic.StoreUint64(&r.Seq, seq+1)
	if seq+1-r.Tail == NearlyFull {
		nearlyFull()
	}
}

// NearlyFull is the fill at which put calls nearlyFull.
const NearlyFull = Size - Size/4

// NearlyFullSymbol is the ELF symbol of nearlyFull, which put calls as
// the ring's fill reaches NearlyFull. A reader that streams by brief
// halts keeps a breakpoint there, so the kernel stops itself before it
// would drop events, however late the reader's own halt comes (a starved
// host may run QEMU for hundreds of ms before it answers the interrupt).
const NearlyFullSymbol = "copslab/kernel/ktrace.nearlyFull"

// nearlyFull does nothing: it is where a reader's breakpoint stops the
// kernel. Kept out of line for that.
//
//go:noinline
func nearlyFull() {}

// Drain moves the oldest events into dst (for readers in the same address
// space: the host tests, the kernel's own console) and returns how many.
func (r *Ring) Drain(dst []sched.Event) int {
	mu.Lock()
	defer mu.Unlock()
	n := 0
	for n < len(dst) && r.Tail != r.Seq {
		dst[n] = r.Events[r.Tail&(Size-1)]
		r.Tail++
		n++
	}
	return n
}
