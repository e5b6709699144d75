package proc

import (
	"fmt"

	"copslab/kernel/vm"
)

// Shared pages: frames a process maps but does not own — the vDSO's code
// and data pages today, the scheduler's per-process pages later. The
// kernel allocated them and keeps them alive; a space only records which
// of its pages point at them, so that
//
//   - Release unmaps them but never frees the frame;
//   - Clone (fork) maps the same frame in the child instead of copying it;
//   - Check accepts them (they may lie outside the frame pool, and the
//     same frame appears in many spaces);
//   - they count against no page limit (Pages counts owned frames only);
//   - mprotect cannot change them (they are in no region: ENOMEM), munmap
//     and mmap(MAP_FIXED) over them only remove this space's mapping.

// sharedPage is one page mapped from a frame the space does not own.
type sharedPage struct {
	pa   uint64
	perm vm.Perm
}

// MapShared maps [va, va+size) onto the frames [pa, pa+size) with perm
// (R/W/X bits, not both W and X; U, A, D are added). Both addresses must
// be page-aligned and the range must not overlap any page or region of
// the space.
func (s *Space) MapShared(va, pa, size uint64, perm vm.Perm) error {
	if va%PageSize != 0 || pa%PageSize != 0 || size%PageSize != 0 || size == 0 ||
		va+size > UserTop || va+size < va || pa+size < pa {
		return fmt.Errorf("proc: bad shared range %#x+%#x → %#x", va, size, pa)
	}
	perm &= vm.R | vm.W | vm.X
	if perm == 0 || perm&(vm.W|vm.X) == vm.W|vm.X {
		return fmt.Errorf("proc: shared range %#x+%#x with permission %v", va, size, perm)
	}
	if !s.free(va, va+size) {
		return fmt.Errorf("proc: shared range %#x+%#x overlaps a mapping", va, size)
	}
	if err := s.PT.Map(va, pa, size, perm|userPerm); err != nil {
		return err
	}
	if s.shared == nil {
		s.shared = map[uint64]sharedPage{}
	}
	for off := uint64(0); off < size; off += PageSize {
		s.shared[va+off] = sharedPage{pa + off, perm}
	}
	return nil
}

// SharedPages is the number of shared pages the space maps.
func (s *Space) SharedPages() int { return len(s.shared) }

// unshare removes the shared pages in [start, end) from the table; the
// frames stay with their owner.
func (s *Space) unshare(start, end uint64) {
	for va := range s.shared {
		if va >= start && va < end {
			s.PT.Unmap(va, PageSize)
			delete(s.shared, va)
		}
	}
}

// cloneShared maps every shared page of s into c (fork).
func (s *Space) cloneShared(c *Space) error {
	for va, sp := range s.shared {
		if err := c.MapShared(va, sp.pa, PageSize, sp.perm); err != nil {
			return err
		}
	}
	return nil
}
