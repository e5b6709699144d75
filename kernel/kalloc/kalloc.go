// Package kalloc is the kernel's physical page allocator: it hands out 4 KiB
// frames of RAM from one range [base, base+size).
//
// The bookkeeping lives in ordinary Go memory, not in the frames (unlike
// xv6's free list threaded through free pages): one bit per frame in a
// free bitmap plus one in a reserved bitmap. So the allocator never reads
// or writes the memory it manages — it runs unchanged in host tests — and
// frames can be reserved (kernel image, device tree) after creation.
// Metadata costs 2 bits per 4 KiB frame: 16 KiB for 512 MiB of RAM.
//
// Alloc scans the free bitmap a 64-frame word at a time, starting at a
// hint: the lowest word that may hold a free frame. Alloc moves the hint
// forward past full words and Free moves it back, so a run of allocations
// costs O(1) amortised and allocation is lowest-address-first.
//
// The allocator is safe for concurrent use by goroutines (a sync.Mutex);
// it must not be called from trap context.
package kalloc

import (
	"fmt"
	"math/bits"
	"sync"
)

// PageSize is the frame size: the RISC-V base page (privileged spec §4.3).
const PageSize = 4096

// Allocator manages the frames of one physical range.
type Allocator struct {
	base   uint64 // first frame's address
	frames int    // number of frames

	mu       sync.Mutex // guards the fields below
	free     []uint64   // bit i set: frame i is free
	reserved []uint64   // bit i set: frame i is reserved (never allocated)
	nfree    int
	hint     int // no free frame in words below this index
}

// New manages the whole frames inside [base, base+size): base is rounded
// up and the end down to PageSize. All frames start free.
func New(base, size uint64) (*Allocator, error) {
	end := base + size
	if end < base {
		return nil, fmt.Errorf("kalloc: range %#x+%#x overflows", base, size)
	}
	first := (base + PageSize - 1) &^ (PageSize - 1)
	last := end &^ (PageSize - 1)
	if first < base || last <= first {
		return nil, fmt.Errorf("kalloc: range [%#x, %#x) holds no whole %d-byte frame", base, end, PageSize)
	}
	n := int((last - first) / PageSize)
	words := (n + 63) / 64
	a := &Allocator{base: first, frames: n, free: make([]uint64, words), reserved: make([]uint64, words), nfree: n}
	for i := range a.free {
		a.free[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		a.free[words-1] = 1<<r - 1 // bits past the last frame stay "used"
	}
	return a, nil
}

// Base is the address of the first managed frame.
func (a *Allocator) Base() uint64 { return a.base }

// Total is the number of frames managed, reserved ones included.
func (a *Allocator) Total() int { return a.frames }

// FreeCount is the number of frames Alloc can still return.
func (a *Allocator) FreeCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.nfree
}

// Alloc returns the lowest free frame's physical address. The frame's
// contents are whatever was there; ok is false when no frame is free.
func (a *Allocator) Alloc() (pa uint64, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for w := a.hint; w < len(a.free); w++ {
		if x := a.free[w]; x != 0 {
			b := bits.TrailingZeros64(x)
			a.free[w] = x &^ (1 << b)
			a.nfree--
			a.hint = w
			return a.base + uint64(w*64+b)*PageSize, true
		}
	}
	a.hint = len(a.free)
	return 0, false
}

// Free returns a frame from Alloc. Misaligned or out-of-range addresses,
// reserved frames and frames that are already free are errors (the
// allocator's state is unchanged).
func (a *Allocator) Free(pa uint64) error {
	i, err := a.index(pa)
	if err != nil {
		return fmt.Errorf("kalloc: free: %w", err)
	}
	w, m := i/64, uint64(1)<<(i%64)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.reserved[w]&m != 0:
		return fmt.Errorf("kalloc: free of reserved frame %#x", pa)
	case a.free[w]&m != 0:
		return fmt.Errorf("kalloc: double free of frame %#x", pa)
	}
	a.free[w] |= m
	a.nfree++
	a.hint = min(a.hint, w)
	return nil
}

// Reserve takes every frame that [base, base+size) touches out of
// circulation (rounding outward to frames), e.g. the kernel image or the
// device tree. Reserving a reserved frame again is fine; the range must
// lie inside the allocator and must not contain an allocated frame, else
// nothing is reserved and an error says why.
func (a *Allocator) Reserve(base, size uint64) error {
	if size == 0 {
		return nil
	}
	end := base + size
	if end < base || base < a.base || end > a.base+uint64(a.frames)*PageSize {
		return fmt.Errorf("kalloc: reserve [%#x, %#x): outside the managed range %s", base, end, a.rangeString())
	}
	lo := int((base - a.base) / PageSize)
	hi := int((end - a.base + PageSize - 1) / PageSize)
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := lo; i < hi; i++ {
		w, m := i/64, uint64(1)<<(i%64)
		if a.free[w]&m == 0 && a.reserved[w]&m == 0 {
			return fmt.Errorf("kalloc: reserve [%#x, %#x): frame %#x is allocated", base, end, a.base+uint64(i)*PageSize)
		}
	}
	for i := lo; i < hi; i++ {
		w, m := i/64, uint64(1)<<(i%64)
		if a.free[w]&m != 0 {
			a.free[w] &^= m
			a.reserved[w] |= m
			a.nfree--
		}
	}
	return nil
}

// index converts a frame address into its bit number.
func (a *Allocator) index(pa uint64) (int, error) {
	if pa%PageSize != 0 {
		return 0, fmt.Errorf("address %#x is not %d-byte aligned", pa, PageSize)
	}
	if pa < a.base || pa >= a.base+uint64(a.frames)*PageSize {
		return 0, fmt.Errorf("address %#x outside the managed range %s", pa, a.rangeString())
	}
	return int((pa - a.base) / PageSize), nil
}

func (a *Allocator) rangeString() string {
	return fmt.Sprintf("[%#x, %#x)", a.base, a.base+uint64(a.frames)*PageSize)
}
