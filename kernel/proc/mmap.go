package proc

import (
	"sort"

	"copslab/kernel/uabi"
	"copslab/kernel/vm"
)

// Anonymous memory: mmap, munmap, mprotect, madvise(DONTNEED), brk.
//
// A mapping only records a region (start, end, permission); frames are
// allocated when a page is first touched (Fault, or a kernel copy). So
// the Go runtime's large PROT_NONE reservations cost no memory. Regions
// are kept sorted and disjoint; mapping over, unmapping or re-protecting
// part of a region splits it. Pages already present keep their frame
// when the permission changes (the leaf is rewritten) and lose it when
// unmapped, made PROT_NONE or dropped with MADV_DONTNEED (a private
// anonymous page reads as zero afterwards, as on Linux).

// MmapTop is where address-less mappings are placed, growing down.
const MmapTop = StackTop - StackSize - 1<<30

// permOf turns PROT_* bits into leaf permissions (W implies R: W-only
// is reserved in Sv39).
func permOf(prot uint64) vm.Perm {
	var p vm.Perm
	if prot&uabi.PROT_READ != 0 {
		p |= vm.R
	}
	if prot&uabi.PROT_WRITE != 0 {
		p |= vm.R | vm.W
	}
	if prot&uabi.PROT_EXEC != 0 {
		p |= vm.X
	}
	return p
}

// pageRange checks and rounds a user range; ok is false if it is
// unaligned, empty or outside user space.
func pageRange(addr, length uint64) (start, end uint64, ok bool) {
	if addr%PageSize != 0 || length == 0 {
		return 0, 0, false
	}
	end = addr + (length+PageSize-1)&^(PageSize-1)
	if end < addr || end > UserTop || end <= addr {
		return 0, 0, false
	}
	return addr, end, true
}

// cut removes [start, end) from the region list, splitting regions that
// stick out, and returns the removed pieces.
func (s *Space) cut(start, end uint64) []region {
	var keep, removed []region
	for _, r := range s.regions {
		if r.end <= start || r.start >= end {
			keep = append(keep, r)
			continue
		}
		if r.start < start {
			keep = append(keep, region{r.start, start, r.perm})
		}
		if r.end > end {
			keep = append(keep, region{end, r.end, r.perm})
		}
		removed = append(removed, region{max(r.start, start), min(r.end, end), r.perm})
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].start < keep[j].start })
	s.regions = keep
	return removed
}

// dropPages unmaps and frees the present pages in [start, end) that
// belong to regions (not the loaded image or the initial stack, which
// are also regions-free pages: only pages inside removed regions).
func (s *Space) dropPages(rs []region) {
	for va, pa := range s.pages {
		for _, r := range rs {
			if va >= r.start && va < r.end {
				s.PT.Unmap(va, PageSize)
				s.frames.Free(pa)
				delete(s.pages, va)
				break
			}
		}
	}
}

// free reports whether [start, end) overlaps no region, no page and no
// shared page.
func (s *Space) free(start, end uint64) bool {
	for _, r := range s.regions {
		if r.start < end && start < r.end {
			return false
		}
	}
	for va := range s.pages {
		if va >= start && va < end {
			return false
		}
	}
	for va := range s.shared {
		if va >= start && va < end {
			return false
		}
	}
	return true
}

// findFree returns the highest free range of size n below MmapTop.
func (s *Space) findFree(n uint64) (uint64, bool) {
	top := uint64(MmapTop)
	// Regions are sorted; walk them from the top.
	for i := len(s.regions) - 1; i >= -1; i-- {
		lo := uint64(PageSize << 4) // keep the lowest 64 KiB unmapped
		if i >= 0 {
			lo = s.regions[i].end
		}
		if lo < top && top-lo >= n && s.free(top-n, top) {
			return top - n, true
		}
		if i >= 0 && s.regions[i].start < top {
			top = s.regions[i].start
		}
	}
	return 0, false
}

// Mmap serves mmap for anonymous private memory; it returns the
// address or a negative errno as the system call's result.
func (s *Space) Mmap(addr, length, prot, flags, fd uint64) uint64 {
	if flags&uabi.MAP_ANONYMOUS == 0 {
		return uabi.Errno(uabi.ENODEV) // no files to map
	}
	if flags&uabi.MAP_TYPE != uabi.MAP_PRIVATE || length == 0 || length > UserTop {
		return uabi.Errno(uabi.EINVAL)
	}
	n := (length + PageSize - 1) &^ (PageSize - 1)
	if permOf(prot)&vm.W != 0 && s.hopeless(n) {
		return uabi.Errno(uabi.ENOMEM)
	}
	var start uint64
	switch {
	case flags&uabi.MAP_FIXED != 0:
		st, end, ok := pageRange(addr, n)
		if !ok {
			return uabi.Errno(uabi.EINVAL)
		}
		s.dropPages(s.cut(st, end))
		s.unshare(st, end)
		start = st
	case addr != 0 && addr%PageSize == 0 && addr+n <= UserTop && addr+n > addr && s.free(addr, addr+n):
		start = addr // the hint fits
	default:
		a, ok := s.findFree(n)
		if !ok {
			return uabi.Errno(uabi.ENOMEM)
		}
		start = a
	}
	s.regions = append(s.regions, region{start, start + n, permOf(prot)})
	sort.Slice(s.regions, func(i, j int) bool { return s.regions[i].start < s.regions[j].start })
	return start
}

// Refusing hopeless mappings. Memory is committed on first touch, so a
// process that outgrows its limit (MaxPages) is killed at a page fault
// (status 137, like Linux's OOM killer) — right for a heap that grows in
// small steps, and for the large sparse tables the Go runtime maps
// writable and relies on demand paging for (its 32 MiB heap arena index
// at start). But a huge writable mapping that could never be backed is
// better refused at mmap with ENOMEM, as Linux's heuristic overcommit
// refuses an obviously too large request: the Go runtime then ends the
// program itself ("fatal error: runtime: out of memory", status 2, with
// the goroutine's stack). The case that matters is runaway recursion:
// Go doubles a goroutine's stack (copying it), and the doubling that
// cannot fit would otherwise be killed mid-way. A mapping is hopeless
// when it is larger than the room the process has left and at least
// hopelessMin (Go's heap arena size: ordinary heap growth and the
// runtime's tables stay below it, so a memory hog still meets the OOM
// kill, whatever procmem= says).
const hopelessMin = 64 << 20

func (s *Space) hopeless(n uint64) bool {
	if s.MaxPages == 0 || n < hopelessMin {
		return false
	}
	return int(n/PageSize) > s.MaxPages-len(s.pages)
}

// Munmap removes mappings in [addr, addr+length).
func (s *Space) Munmap(addr, length uint64) uint64 {
	start, end, ok := pageRange(addr, length)
	if !ok {
		return uabi.Errno(uabi.EINVAL)
	}
	s.dropPages(s.cut(start, end))
	s.unshare(start, end)
	return 0
}

// Mprotect changes the permission of the regions in [addr, addr+length).
// Every page of the range must be inside a region (ENOMEM otherwise,
// as Linux does for unmapped holes).
func (s *Space) Mprotect(addr, length, prot uint64) uint64 {
	start, end, ok := pageRange(addr, length)
	if !ok {
		return uabi.Errno(uabi.EINVAL)
	}
	covered := uint64(0)
	for _, r := range s.regions {
		if r.start < end && start < r.end {
			covered += min(r.end, end) - max(r.start, start)
		}
	}
	if covered != end-start {
		return uabi.Errno(uabi.ENOMEM)
	}
	perm := permOf(prot)
	removed := s.cut(start, end)
	if perm == 0 {
		s.dropPages(removed)
	} else {
		for va, pa := range s.pages {
			if va >= start && va < end {
				s.PT.Unmap(va, PageSize)
				s.PT.Map(va, pa, PageSize, perm|userPerm) // a table for va exists: no allocation
			}
		}
	}
	s.regions = append(s.regions, region{start, end, perm})
	sort.Slice(s.regions, func(i, j int) bool { return s.regions[i].start < s.regions[j].start })
	return 0
}

// DontNeed drops the present pages of regions in [addr, addr+length):
// they read as zero when touched again.
func (s *Space) DontNeed(addr, length uint64) uint64 {
	start, end, ok := pageRange(addr, length)
	if !ok {
		return uabi.Errno(uabi.EINVAL)
	}
	var in []region
	for _, r := range s.regions {
		if r.start < end && start < r.end {
			in = append(in, region{max(r.start, start), min(r.end, end), r.perm})
		}
	}
	s.dropPages(in)
	return 0
}
