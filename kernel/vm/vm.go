// Package vm builds RISC-V Sv39 page tables (privileged spec v1.12 §4.4):
// three levels of 512-entry tables, 4 KiB pages, 39-bit virtual addresses.
//
// The copslab kernel runs in machine mode without translation; these tables
// give user processes their address spaces (satp applies to U-mode).
//
// The builder does not touch memory itself. Table frames come from a
// Frames source (kernel/kalloc in the kernel) and are read and written
// through a Mem (unsafe pointers in the kernel, a simulated RAM in host
// tests), so the same code is tested on the host and run on the board.
//
// Ownership: a PageTable owns its table frames — the root and every
// intermediate table — and frees them in Unmap (when they become empty)
// and Destroy. It does not own the frames that leaf entries map; the
// caller allocates and frees those.
//
// Consistency: Map and Unmap check the whole range before changing
// anything, and Map undoes its own work when frames run out, so a failed
// call leaves the table as it was. The builder never flushes TLBs: after
// changing a live table the caller runs sfence.vma.
//
// Map creates 4 KiB leaves only. Translate also understands 2 MiB and
// 1 GiB leaves (superpages), so it can read tables built elsewhere.
package vm

import (
	"errors"
	"fmt"
)

// Mem reads and writes 64-bit words of physical memory.
type Mem interface {
	Load(pa uint64) uint64
	Store(pa, v uint64)
}

// Frames hands out and takes back 4 KiB physical frames.
type Frames interface {
	Alloc() (uint64, bool)
	Free(uint64) error
}

// ErrNoFrames is returned (wrapped) when Frames has no frame left.
var ErrNoFrames = errors.New("vm: out of page-table frames")

// PageTable is one Sv39 address space.
type PageTable struct {
	mem    Mem
	frames Frames
	root   uint64 // physical address of the root table; 0 after Destroy
}

// New allocates and zeroes a root table.
func New(mem Mem, frames Frames) (*PageTable, error) {
	pt := &PageTable{mem: mem, frames: frames}
	root, err := pt.newTable()
	if err != nil {
		return nil, err
	}
	pt.root = root
	return pt, nil
}

// Root is the physical address of the root table.
func (pt *PageTable) Root() uint64 { return pt.root }

// satp fields, privileged spec §4.1.11 (Figure 4.11, Table 4.4).
const (
	satpModeSv39  = 8
	satpModeShift = 60
	satpASIDShift = 44
)

// SATP is the satp value that selects this table with address-space id
// asid: MODE=8 (Sv39) in bits 63..60, ASID in 59..44, root PPN in 43..0.
func (pt *PageTable) SATP(asid uint16) uint64 {
	return satpModeSv39<<satpModeShift | uint64(asid)<<satpASIDShift | pt.root>>pageShift
}

// newTable allocates a frame and zeroes its 512 entries.
func (pt *PageTable) newTable() (uint64, error) {
	pa, ok := pt.frames.Alloc()
	if !ok {
		return 0, ErrNoFrames
	}
	if pa%PageSize != 0 || pa >= MaxPA {
		return 0, fmt.Errorf("vm: frame source returned unusable frame %#x", pa)
	}
	for i := uint64(0); i < entries; i++ {
		pt.mem.Store(pa+8*i, 0)
	}
	return pa, nil
}

// errDestroyed is returned by every method after Destroy.
var errDestroyed = errors.New("vm: page table destroyed")

// Destroy frees every table frame (not the mapped pages) and makes the
// PageTable unusable. It reports the first Free error but frees the rest.
func (pt *PageTable) Destroy() error {
	if pt.root == 0 {
		return errDestroyed
	}
	err := pt.freeTable(pt.root, levels-1)
	pt.root = 0
	return err
}

// freeTable frees table pa at level and, below the leaf level, its
// child tables first.
func (pt *PageTable) freeTable(pa uint64, level int) error {
	var first error
	if level > 0 {
		for i := uint64(0); i < entries; i++ {
			pte := pt.mem.Load(pa + 8*i)
			if pteValid(pte) && !pteLeaf(pte) {
				if err := pt.freeTable(ptePA(pte), level-1); err != nil && first == nil {
					first = err
				}
			}
		}
	}
	if err := pt.frames.Free(pa); err != nil && first == nil {
		first = fmt.Errorf("vm: freeing table %#x: %w", pa, err)
	}
	return first
}
