package sched

// This file is the one place that documents the scheduler's byte layouts.
// layout_test.go checks every offset below against unsafe.Offsetof and
// binary.Size, so the tables, the Go structs and the decoders cannot drift.
//
// There are two kinds of region (sched.go explains why):
//
//   - Local: one per process (and one for the kernel's own coroutines,
//     process slot 0). Its ready bitmap, FIFOs, coroutine control blocks,
//     lock and event ring. LocalSize bytes, page aligned, mapped read-write
//     into its process only. Written by that process (through the vDSO);
//     the kernel only reads it, defensively (sample.go).
//   - Global: the kernel's. The global priority array, the hart table, one
//     KProc per process slot and the trace. Never mapped into a process.
//
// All integers are little-endian (RISC-V and the x86-64/arm64 hosts).
// Links and indices are uint16 slot numbers; NoIdx (0xFFFF) is "none".
//
//	Global (GlobalSize = 43168 bytes)
//	off    size  field
//	0      4     Magic       "COPG" = 0x47504F43
//	4      2     Version     RegionVersion
//	6      2     NProcs      MaxProcs (64)
//	8      2     NRing       RingSize (1024)
//	10     1     NPrio       NumPrio (8)
//	11     1     NHarts      MaxHarts (8)
//	12     4     Lock        0 free, else owner tag (lock.go)
//	16     4     Placements  placements so far (RunOn), wrapping; stamps KProc.Placed
//	20     4     -
//	24     8     Seq         sequence number of the next trace event
//	32     8     Tail        sequence number of the oldest event in the ring
//	40     8     Overflow    events dropped because the ring was full
//	48     8     Lost        records lost in process rings before the kernel collected them
//	56     8     Clock       latest event time in the trace; Collect keeps times in [Clock, now]
//	64     64    ProcPrio    global priority array: [proc] best priority or Idle (0xFF)
//	128    16    HartProc    [hart] process running on it, or NoIdx
//	144    16    -
//	160    2048  Procs       [MaxProcs]KProc, 32 bytes each
//	2208   40960 Ring        [RingSize]Event; event seq s is at s%RingSize
//
//	KProc, the kernel's record of a process slot (32 bytes)
//	0      4     Placed      Placements when it was last placed (fairness, pick.go)
//	4      1     Flags       ProcUsed | ProcUintr (user interrupt pending)
//	5      1     Hart        hart running this process, or NoHart
//	6      1     LPrio       its local priority as last sampled from its Local, or Idle
//	7      1     -
//	8      8     Next        sequence number of its Local ring's next uncollected record
//	16     8     Lost        its records lost before collection (also summed in Global.Lost)
//	24     8     Addr        address of its Local (kernel view; 0 in a host Region), for debuggers
//
//	Local (LocalSize = 8192 bytes, two pages)
//	0      4     Magic       "COPL" = 0x4C504F43
//	4      2     Version     RegionVersion
//	6      2     Proc        the process slot it belongs to (part of every coroutine id)
//	8      2     NCos        LocalCos (256)
//	10     2     NRing       LocalRing (64)
//	12     1     NPrio       NumPrio (8)
//	13     1     Bitmap      bit p set ⇔ ready queue p non-empty
//	14     2     Cur         slot of the Running or Suspended coroutine, or NoIdx
//	16     4     Lock        0 free, else owner tag
//	20     2     FreeHead    free coroutine slots, FIFO through CB.Next
//	22     2     FreeTail
//	24     2     Live        coroutines not Exited
//	26     6     -
//	32     8     Seq         sequence number of the next record of this process
//	40     8     Tail        oldest record still in the ring
//	48     8     Overflow    records this process overwrote before they were read
//	56     8     -
//	64     16    QHead       [NumPrio] first ready coroutine slot per priority
//	80     16    QTail       [NumPrio] last ready coroutine slot per priority
//	96     4096  Cos         [LocalCos]CB, 16 bytes each
//	4192   2560  Ring        [LocalRing]Event records; record seq s is at s%LocalRing
//	6752   1440  -           (pads to two pages)
//
//	CB, coroutine control block (16 bytes)
//	0      4     ID        gen<<14 | proc<<8 | slot (ids are unique across processes); 0 = never used
//	4      2     Next      ready-queue or free-list link
//	6      2     Prev      ready-queue link
//	8      2     Proc      owning process slot (always the Local's Proc)
//	10     1     Kind
//	11     1     Prio
//	12     1     State
//	13     1     Flags     CBFree (on the free list)
//	14     2     -
//
//	Event (40 bytes): Time u64 @0, Seq u64 @8, Co u32 @16, Waker u32 @20,
//	Proc u16 @24, Hart u8 @26, Prio u8 @27, From @28, To @29, Cause @30,
//	Kind @31, Arg u64 @32. In a Local's ring a record with Cause
//	CauseSwitch (0x80) stands for a Switch's yield of Co and fetch of Waker
//	(the fetched one's kind in Arg byte 0, priority in byte 1; event.go);
//	the Global ring holds only events.
//
//	Region, the host composition (RegionSize bytes): Global at 0, padded to
//	GlobalPad; Local of process p at GlobalPad + p*LocalSize.
//
// Who writes what: a Local is written only with its Lock held, by its
// process (or, for slot 0 and host regions, the kernel) through the
// operations in ops.go. Everything in Global is written by the kernel only,
// with Global.Lock held. Ring events keep their Local sequence numbers in a
// Local ring and get global ones when the kernel collects them (sample.go).

// Magics and version of the regions.
const (
	GlobalMagic   = 0x47504F43 // "COPG" little-endian
	LocalMagic    = 0x4C504F43 // "COPL" little-endian
	RegionVersion = 4
)

// Byte offsets and sizes (checked by layout_test.go).
const (
	OffGLock     = 12
	OffGSeq      = 24
	OffProcPrio  = 64
	OffHartProc  = 128
	OffKProcs    = 160
	OffGRing     = OffKProcs + MaxProcs*KProcSize
	GlobalSize   = OffGRing + RingSize*EventSize
	GlobalPad    = (GlobalSize + PageSize - 1) &^ (PageSize - 1)
	KProcSize    = 32
	OffLLock     = 16
	OffLSeq      = 32
	OffQHead     = 64
	OffQTail     = 80
	OffCos       = 96
	OffLRing     = OffCos + LocalCos*CBSize
	localUsed    = OffLRing + LocalRing*EventSize
	LocalSize    = 2 * PageSize
	RegionSize   = GlobalPad + MaxProcs*LocalSize
	PageSize     = 4096
	CBSize       = 16
	EventSize    = 40
	localPadSize = LocalSize - localUsed
)

// KProc flags.
const (
	ProcUsed  = 1 << 0 // slot belongs to a process
	ProcUintr = 1 << 1 // a user interrupt is pending: global priority boosted to 0
)

// CB flags.
const (
	CBFree = 1 << 0 // on the free list
)

// Global is the kernel's scheduler state. It contains no Go pointers; its
// in-memory layout is exactly the byte layout documented above.
type Global struct {
	Magic      uint32
	Version    uint16
	NProcs     uint16
	NRing      uint16
	NPrio      uint8
	NHarts     uint8
	Lock       uint32
	Placements uint32
	_          [4]byte
	Seq        uint64
	Tail       uint64
	Overflow   uint64
	Lost       uint64
	Clock      uint64
	ProcPrio   [MaxProcs]uint8
	HartProc   [MaxHarts]uint16
	_          [16]byte
	Procs      [MaxProcs]KProc
	Ring       [RingSize]Event
}

// KProc is the kernel's record of one process slot.
type KProc struct {
	Placed uint32
	Flags  uint8
	Hart   uint8
	LPrio  uint8
	_      uint8
	Next   uint64
	Lost   uint64
	Addr   uint64
}

// Local is one process's scheduler state.
type Local struct {
	Magic    uint32
	Version  uint16
	Proc     uint16
	NCos     uint16
	NRing    uint16
	NPrio    uint8
	Bitmap   uint8
	Cur      uint16
	Lock     uint32
	FreeHead uint16
	FreeTail uint16
	Live     uint16
	_        [6]byte
	Seq      uint64
	Tail     uint64
	Overflow uint64
	_        [8]byte
	QHead    [NumPrio]uint16
	QTail    [NumPrio]uint16
	Cos      [LocalCos]CB
	Ring     [LocalRing]Event
	_        [localPadSize]byte
}

// CB is a coroutine control block.
type CB struct {
	ID    uint32
	Next  uint16
	Prev  uint16
	Proc  uint16
	Kind  Kind
	Prio  uint8
	State State
	Flags uint8
	_     [2]byte
}

// Region is the host's composition of one Global and a Local for every
// process slot in one block of memory: what the sandbox and the
// tests use, and what Decode reads. The kernel keeps the two kinds apart.
type Region struct {
	Global
	_      [GlobalPad - GlobalSize]byte
	Locals [MaxProcs]Local
}
