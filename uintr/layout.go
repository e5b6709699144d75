package uintr

// This file is the one place that documents the receiver's byte layout.
// layout_test.go checks every offset against unsafe.Offsetof.
//
// A Receiver is one process's user-interrupt state in memory shared with
// the kernel: RecvSize bytes, page aligned, mapped read-write into that
// process only (Space.MapShared), like its sched.Local. It plays the part
// of the N extension's user CSRs (ustatus, uie, utvec, uscratch, uip) and
// of a completion queue. Little-endian.
//
//	Receiver (RecvSize = 8192 bytes, two pages)
//	off    size  field     written by  role
//	0      4     Magic     kernel      "UINT" = 0x544E4955
//	4      2     Version   kernel      RecvVersion
//	6      2     NRec      kernel      RingRecs (64)
//	8      4     Ctl       process     CtlUIE (bit 0): user interrupts enabled (ustatus.UIE)
//	12     4     Deferred  process     the lock protocol's flag (protocol.go)
//	16     8     Enable    process     bit v: vector v enabled (uie)
//	24     8     Pending   kernel      mirror of the kernel's pending bits (uip), for debuggers
//	32     8     Handler   process     handler entry address (utvec); must lie in the process's text
//	40     8     Stack     process     handler stack top (uscratch); 16-byte aligned, writable
//	48     8     Head      process     next completion record to drain (the lock holder advances it)
//	56     8     Tail      kernel      next record slot the kernel fills
//	64     8     Stray     process     records whose coroutine could not be woken (count)
//	72     8     Drained   process     records drained so far (count)
//	80     8     Wake      process     address of a 4-byte futex word the kernel sets to 0 and wakes after each handler run (0: none)
//	88     8     PCLog     process     address of a delivery log (0: none): where each interrupt landed (see below)
//	96     32    -
//	128    2048  Recs      kernel      [RingRecs]Record, record s at s%RingRecs
//	2176   4096  Done      process     [sched.LocalCos]Done, by coroutine slot: its last completion
//	6272   1920  -                     (pads to two pages)
//
//	Record, one completion (32 bytes)
//	0      8     Key       the key the process gave with the async call
//	8      8     Result    bytes transferred (≥ 0) or -errno
//	16     4     Co        coroutine id to wake
//	20     2     Op        OpRead, OpWrite, OpSleep
//	22     1     Vector    vector it was posted on
//	23     1     -
//	24     8     Seq       the record's sequence number (its index before % RingRecs)
//
//	Done, where the handler leaves a coroutine's result (16 bytes)
//	0      8     Key
//	8      8     Result
//
//	PCLog, a delivery log in the process's own memory (16 + 16·Cap bytes)
//	0      8     Count     kernel      deliveries so far (entries beyond Cap are counted, not written)
//	8      8     Cap       process     entries the log holds
//	16+16i 8     PC        kernel      entry i: the user pc the delivery interrupted
//	24+16i 4     Lock      kernel      entry i: the process's Local lock word at that moment (0: free)
//	28+16i 4     TID       kernel      entry i: the thread the delivery diverted
//
// Trust: the kernel never trusts a byte here. Its own copies of the
// pending bits, the tail and the count of records in flight are the
// truth (emu.go); it reads Ctl, Enable, Handler, Stack and Head once per
// use and checks them (a handler outside the text or a bad stack kills
// the process with a message, a Head outside [tail-RingRecs, tail] is a
// fault of that process). A process scribbling here can hurt only itself:
// it loses its own wakeups or gets killed, and its priority boost follows
// the kernel's pending bits, not the mirror.

// Magic and version of a receiver.
const (
	RecvMagic   = 0x544E4955 // "UINT" little-endian
	RecvVersion = 1
)

// Sizes and offsets (checked by layout_test.go).
const (
	RecvSize   = 8192
	RingRecs   = 64 // completion records; a power of two
	RecordSize = 32
	DoneSize   = 16
	NVectors   = 64 // vectors per receiver (bits of Pending/Enable)

	OffCtl      = 8
	OffDeferred = 12
	OffEnable   = 16
	OffPending  = 24
	OffHandler  = 32
	OffStack    = 40
	OffHead     = 48
	OffTail     = 56
	OffWake     = 80
	OffPCLog    = 88
	OffRecs     = 128
	OffDone     = OffRecs + RingRecs*RecordSize
	recvUsed    = OffDone + localCos*DoneSize
)

// CtlUIE enables user interrupts (Receiver.Ctl), as ustatus.UIE.
const CtlUIE = 1

// VecKernel is the vector of the kernel's completions (async system
// calls). Registering a receiver grants it to the kernel.
const VecKernel = 0

// Op says which async system call a record completes.
type Op uint16

const (
	OpNone Op = iota
	OpRead
	OpWrite
	OpSleep
	NumOps
)

var opNames = [NumOps]string{"none", "read", "write", "sleep"}

func (o Op) String() string {
	if o < NumOps {
		return opNames[o]
	}
	return "Op(?)"
}

// Record is one completion.
type Record struct {
	Key    uint64
	Result int64
	Co     uint32
	Op     Op
	Vector uint8
	_      uint8
	Seq    uint64
}

// Done holds a coroutine's last completion (by its slot).
type Done struct {
	Key    uint64
	Result int64
}

// Receiver is the shared receiver state (see the table above).
type Receiver struct {
	Magic    uint32
	Version  uint16
	NRec     uint16
	Ctl      uint32
	Deferred uint32
	Enable   uint64
	Pending  uint64
	Handler  uint64
	Stack    uint64
	Head     uint64
	Tail     uint64
	Stray    uint64
	Drained  uint64
	Wake     uint64
	PCLog    uint64
	_        [32]byte
	Recs     [RingRecs]Record
	Done     [localCos]Done
	_        [RecvSize - recvUsed]byte
}

// Init formats r: header, nothing enabled, empty ring.
func (r *Receiver) Init() {
	*r = Receiver{Magic: RecvMagic, Version: RecvVersion, NRec: RingRecs}
}
