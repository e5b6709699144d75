package sched

// This file is the one place that documents the region's byte layout.
// layout_test.go checks every offset below against unsafe.Offsetof and
// binary.Size, so the table, the Go struct and the decoder cannot drift.
//
// All integers are little-endian (RISC-V and the x86-64/arm64 hosts).
// Links and indices are uint16 slot numbers; NoIdx (0xFFFF) is "none".
//
//	Region (RegionSize = 60320 bytes)
//	off    size  field
//	0      4     Magic     "COPS" = 0x53504F43
//	4      2     Version   RegionVersion
//	6      2     NProcs    MaxProcs (64)
//	8      2     NCos      MaxCos (1024)
//	10     2     NRing     RingSize (1024)
//	12     1     NPrio     NumPrio (8)
//	13     1     NHarts    MaxHarts (8)
//	14     2     -
//	16     4     Lock      0 free, else owner tag (lock.go)
//	20     2     -
//	22     2     FreeHead  free coroutine slots, FIFO through CB.Next
//	24     2     FreeTail
//	26     2     Live      coroutines not Exited
//	28     4     Placements  placements so far (RunOn), wrapping; stamps Placed
//	32     8     Seq       sequence number of the next trace event
//	40     8     Tail      sequence number of the oldest event in the ring
//	48     8     Overflow  events dropped because the ring was full
//	56     8     -
//	64     64    ProcPrio  global priority array: [proc] best priority or Idle (0xFF)
//	128    16    HartProc  [hart] process running on it, or NoIdx
//	144    16    -
//	160    256   Placed    [proc] Placements when it was last placed (fairness, pick.go)
//	416    2560  Procs     [MaxProcs]ProcBlock, 40 bytes each
//	2976   16384 Cos       [MaxCos]CB, 16 bytes each
//	19360  40960 Ring      [RingSize]Event, 40 bytes each; event seq s is at s%RingSize
//
//	ProcBlock (40 bytes)
//	0      16    Head      [NumPrio] first ready coroutine slot per priority
//	16     16    Tail      [NumPrio] last ready coroutine slot per priority
//	32     2     Cur       slot of the Running or Suspended coroutine, or NoIdx
//	34     2     Live      coroutines of this process not Exited
//	36     1     Bitmap    bit p set ⇔ queue p non-empty
//	37     1     Flags     ProcUsed | ProcUintr (user interrupt pending)
//	38     1     Hart      hart running this process, or NoHart
//	39     1     -
//
//	CB, coroutine control block (16 bytes)
//	0      4     ID        gen<<10 | slot; 0 = never used
//	4      2     Next      ready-queue or free-list link
//	6      2     Prev      ready-queue link
//	8      2     Proc      owning process slot
//	10     1     Kind
//	11     1     Prio
//	12     1     State
//	13     1     Flags     CBFree (on the free list)
//	14     2     -
//
//	Event (40 bytes): Time u64 @0, Seq u64 @8, Co u32 @16, Waker u32 @20,
//	Proc u16 @24, Hart u8 @26, Prio u8 @27, From @28, To @29, Cause @30,
//	Kind @31, Arg u64 @32.
//
// Who writes what: every field is written only with Lock held, by whoever
// performs the operation (kernel or user code through the same functions).
// HartProc and ProcBlock.Hart are written by the kernel only.

// Magic and version of the region header.
const (
	RegionMagic   = 0x53504F43 // "COPS" little-endian
	RegionVersion = 2
)

// Byte offsets and sizes (checked by layout_test.go).
const (
	OffLock     = 16
	OffSeq      = 32
	OffProcPrio = 64
	OffHartProc = 128
	OffPlaced   = 160
	OffProcs    = OffPlaced + MaxProcs*4
	OffCos      = OffProcs + MaxProcs*ProcBlockSize
	OffRing     = OffCos + MaxCos*CBSize
	RegionSize  = OffRing + RingSize*EventSize

	ProcBlockSize = 40
	CBSize        = 16
	EventSize     = 40
)

// ProcBlock flags.
const (
	ProcUsed  = 1 << 0 // slot belongs to a process
	ProcUintr = 1 << 1 // a user interrupt is pending: global priority boosted to 0
)

// CB flags.
const (
	CBFree = 1 << 0 // on the free list
)

// Region is the shared scheduler state. It contains no Go pointers; its
// in-memory layout is exactly the byte layout documented above.
type Region struct {
	Magic      uint32
	Version    uint16
	NProcs     uint16
	NCos       uint16
	NRing      uint16
	NPrio      uint8
	NHarts     uint8
	_          [2]byte
	Lock       uint32
	_          [2]byte
	FreeHead   uint16
	FreeTail   uint16
	Live       uint16
	Placements uint32
	Seq        uint64
	Tail       uint64
	Overflow   uint64
	_          [8]byte
	ProcPrio   [MaxProcs]uint8
	HartProc   [MaxHarts]uint16
	_          [16]byte
	Placed     [MaxProcs]uint32
	Procs      [MaxProcs]ProcBlock
	Cos        [MaxCos]CB
	Ring       [RingSize]Event
}

// ProcBlock is one process's part of the region.
type ProcBlock struct {
	Head   [NumPrio]uint16
	Tail   [NumPrio]uint16
	Cur    uint16
	Live   uint16
	Bitmap uint8
	Flags  uint8
	Hart   uint8
	_      uint8
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
