package proc

import (
	"errors"
	"fmt"
	"sort"

	"copslab/kernel/vm"
)

// Phys is physical memory as the kernel sees it (M-mode, no paging).
type Phys interface {
	vm.Mem
	// Bytes is a view of [pa, pa+n); n never crosses a page.
	Bytes(pa, n uint64) []byte
}

// Frames is the frame allocator (kernel/kalloc.Allocator).
type Frames interface {
	vm.Frames
	FreeCount() int
}

// User address space layout (Sv39: user addresses below 2^38).
const (
	PageSize = vm.PageSize
	// UserTop is one past the highest user address.
	UserTop = 1 << 38
	// StackTop is the top of the main thread's stack; StackSize of it
	// is reserved (faulted in on demand), StackInit mapped at start.
	StackTop  = UserTop - 16*PageSize
	StackSize = 8 << 20
	StackInit = 16 * PageSize
)

// limitError is a space's MaxPages reached.
type limitError int

func (e limitError) Error() string {
	return fmt.Sprintf("proc: address space limit of %d pages reached", int(e))
}

// ErrFault is what a bad user pointer gives (the system call returns
// EFAULT).
var ErrFault = errors.New("proc: bad user address")

// userPerm is added to every user page: U, and A/D preset so the MMU
// never has to update the entry.
const userPerm = vm.U | vm.A | vm.D

// region is a range reserved for demand paging: its pages get a zeroed
// frame with perm on first touch.
type region struct {
	start, end uint64
	perm       vm.Perm // R/W/X; 0 = reserved without access (PROT_NONE)
}

// Space is one process's address space: a page table, the frames its
// leaves map (owned here) and the regions that are faulted in on demand.
type Space struct {
	PT      *vm.PageTable
	phys    Phys
	frames  Frames
	pages   map[uint64]uint64     // va page → frame
	regions []region              // sorted by start, disjoint
	shared  map[uint64]sharedPage // va page → frame not owned (shared.go)
	// MaxPages bounds the frames the space may own (0: no bound).
	MaxPages int
}

// NewSpace creates an empty address space.
func NewSpace(phys Phys, frames Frames) (*Space, error) {
	pt, err := vm.New(phys, frames)
	if err != nil {
		return nil, err
	}
	return &Space{PT: pt, phys: phys, frames: frames, pages: map[uint64]uint64{}}, nil
}

// Pages is the number of frames the space's leaves map.
func (s *Space) Pages() int { return len(s.pages) }

// mapZero maps one zeroed frame at page va.
func (s *Space) mapZero(va uint64, perm vm.Perm) error {
	if s.MaxPages > 0 && len(s.pages) >= s.MaxPages {
		return limitError(s.MaxPages)
	}
	pa, ok := s.frames.Alloc()
	if !ok {
		return vm.ErrNoFrames
	}
	clear(s.phys.Bytes(pa, PageSize))
	if err := s.PT.Map(va, pa, PageSize, perm|userPerm); err != nil {
		s.frames.Free(pa)
		return err
	}
	s.pages[va] = pa
	return nil
}

// MapZero maps zeroed pages over [va, va+size) now (page-aligned).
func (s *Space) MapZero(va, size uint64, perm vm.Perm) error {
	if va%PageSize != 0 || size%PageSize != 0 || va+size > UserTop || va+size < va {
		return fmt.Errorf("proc: bad range %#x+%#x", va, size)
	}
	for off := uint64(0); off < size; off += PageSize {
		if err := s.mapZero(va+off, perm); err != nil {
			return err
		}
	}
	return nil
}

// Reserve records [va, va+size) for demand paging with perm.
func (s *Space) Reserve(va, size uint64, perm vm.Perm) error {
	if va%PageSize != 0 || size%PageSize != 0 || size == 0 || va+size > UserTop || va+size < va {
		return fmt.Errorf("proc: bad range %#x+%#x", va, size)
	}
	for _, r := range s.regions {
		if va < r.end && r.start < va+size {
			return fmt.Errorf("proc: range %#x+%#x overlaps [%#x, %#x)", va, size, r.start, r.end)
		}
	}
	s.regions = append(s.regions, region{va, va + size, perm})
	sort.Slice(s.regions, func(i, j int) bool { return s.regions[i].start < s.regions[j].start })
	return nil
}

// regionOf returns the region holding va, or nil.
func (s *Space) regionOf(va uint64) *region {
	i := sort.Search(len(s.regions), func(i int) bool { return s.regions[i].end > va })
	if i < len(s.regions) && s.regions[i].start <= va {
		return &s.regions[i]
	}
	return nil
}

// Access kinds for Fault and the copy checks.
type Access int

const (
	Read Access = iota
	Write
	Exec
)

func (a Access) perm() vm.Perm {
	switch a {
	case Write:
		return vm.W
	case Exec:
		return vm.X
	}
	return vm.R
}

// Fault handles a page fault at va: if va lies in a reserved region
// whose permission allows the access and the page is not mapped yet, a
// zeroed page is mapped and Fault returns nil (retry the instruction).
func (s *Space) Fault(va uint64, acc Access) error {
	r := s.regionOf(va)
	if r == nil || r.perm&acc.perm() == 0 {
		return ErrFault
	}
	page := va &^ (PageSize - 1)
	if _, ok := s.pages[page]; ok {
		return ErrFault // mapped, so the permission was wrong
	}
	return s.mapZero(page, r.perm)
}

// Release frees every page, every table and the regions. The space is
// unusable afterwards.
func (s *Space) Release() error {
	vas := make([]uint64, 0, len(s.pages))
	for va := range s.pages {
		vas = append(vas, va)
	}
	var first error
	for _, va := range vas {
		if err := s.PT.Unmap(va, PageSize); err != nil && first == nil {
			first = err
		}
		if err := s.frames.Free(s.pages[va]); err != nil && first == nil {
			first = err
		}
		delete(s.pages, va)
	}
	s.unshare(0, UserTop)
	if err := s.PT.Destroy(); err != nil && first == nil {
		first = err
	}
	s.regions = nil
	return first
}

// Clone copies the space for fork: the same regions, a new frame with
// the same contents and permissions for every present page, and the same
// frames for the shared pages.
func (s *Space) Clone() (*Space, error) {
	c, err := NewSpace(s.phys, s.frames)
	if err != nil {
		return nil, err
	}
	c.MaxPages = s.MaxPages
	c.regions = append([]region(nil), s.regions...)
	if err := s.cloneShared(c); err != nil {
		c.Release()
		return nil, err
	}
	for va, pa := range s.pages {
		_, perm, _ := s.PT.Translate(va)
		if err := c.mapZero(va, perm&(vm.R|vm.W|vm.X)); err != nil {
			c.Release()
			return nil, err
		}
		copy(c.phys.Bytes(c.pages[va], PageSize), s.phys.Bytes(pa, PageSize))
	}
	return c, nil
}
