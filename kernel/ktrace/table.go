package ktrace

import "sync/atomic"

// The thread table: the current state of every live thread, for
// debuggers that attach at any time and must not drain the ring (the
// OS-aware gdb proxy lists these as gdb threads). Readers find it through
// TableSymbol; its layout:
//
//	ThreadTable: Magic "KTHR" u32 @0, Version u16 @4, Slots u16 @6 (MaxThreads),
//	SlotSize u16 @8, - @10, Live u32 @12, Slot[MaxThreads] @16
//	Slot (32 bytes): TID u32 @0 (0: free), PID u16 @4, Prio u8 @6, State u8 @7
//	(sched.State), Frame u64 @8 (address of the thread's saved registers,
//	a kernel/proc.TrapFrame; 0 unknown), Name [16]byte @16 (process name, NUL-padded)
//
// The kernel writes a slot's TID last when it fills it and first when it
// frees it, so a reader halting the hart sees whole slots.

// TableSymbol is the ELF symbol of Table.
const TableSymbol = "copslab/kernel/ktrace.Table"

// Table header values and offsets.
const (
	TableMagic   = 0x5248544B // "KTHR"
	MaxThreads   = 256
	SlotSize     = 32
	OffSlots     = 16
	TableBytes   = OffSlots + MaxThreads*SlotSize
	TableVersion = 1
)

// Slot is one live thread.
type Slot struct {
	TID   uint32
	PID   uint16
	Prio  uint8
	State uint8
	Frame uint64
	Name  [16]byte
}

// ThreadTable is the table's in-memory form (layout above).
type ThreadTable struct {
	Magic    uint32
	Version  uint16
	Slots    uint16
	SlotSize uint16
	_        [2]byte
	Live     uint32
	Slot     [MaxThreads]Slot
}

// Table is the kernel's thread table.
var Table ThreadTable

// claim fills a free slot for t; mu is held. A full table leaves t out
// (its events still go to the ring).
func (tb *ThreadTable) claim(t *thread, name string, frame uintptr) {
	if tb.Magic != TableMagic {
		tb.Version, tb.Slots, tb.SlotSize = TableVersion, MaxThreads, SlotSize
		tb.Magic = TableMagic
	}
	for i := range tb.Slot {
		s := &tb.Slot[i]
		if s.TID != 0 {
			continue
		}
		s.PID, s.Prio, s.State, s.Frame = uint16(t.pid), t.prio, uint8(t.state), uint64(frame)
		s.Name = [16]byte{}
		copy(s.Name[:], name)
		atomic.StoreUint32(&s.TID, uint32(t.tid))
		tb.Live++
		t.slot = i
		return
	}
	t.slot = -1
}

// update mirrors t's state and priority into its slot; mu is held.
func (tb *ThreadTable) update(t *thread) {
	if t.slot >= 0 {
		tb.Slot[t.slot].State, tb.Slot[t.slot].Prio = uint8(t.state), t.prio
	}
}

// free releases t's slot; mu is held.
func (tb *ThreadTable) free(t *thread) {
	if t.slot >= 0 {
		atomic.StoreUint32(&tb.Slot[t.slot].TID, 0)
		tb.Live--
		t.slot = -1
	}
}
