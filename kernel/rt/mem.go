//go:build copslab

package runtime

import (
	"runtime/goos"
	"unsafe"
)

// Physical memory for the runtime (TamaGo's RamStart/RamSize).
//
// Without paging, mmap hands out physical RAM: a bump pointer moving up
// from the end of the kernel image, plus a short list of ranges given
// back by munmap (first fit). The top of RAM holds the FDT (QEMU puts it
// in the last 2 MiB); limit starts there and moves down when the kernel
// reserves a block for its own page allocator (copslabReservePhys).
//
//	lo            bump                     limit      FDT   end of RAM
//	| mmap'd ...  | free ...               | reserved |     |
//
// Hints are honoured only when they equal bump: the runtime's arena
// hints point far above RAM, and failing them quickly sends it to its
// "any address" fallback. MAP_FIXED requests inside handed-out memory
// (sysMap of a reservation) return the address unchanged. RAM is zero
// at reset, so memory above the bump's high-water mark is handed out
// as is; recycled ranges are cleared.
var bmMem struct {
	lo, bump, limit uintptr
	high            uintptr // highest address ever handed out
	inUse, peak     uintptr // bytes mapped now / at most
	free            [32]struct{ base, end uintptr }
	nfree           int
	leaked          uintptr // freed bytes the list had no room for
}

const (
	bmPage         = 4096
	bmMapFixed     = 0x10
	bmMapAnon      = 0x20
	bmDefaultLimit = 0x80000000 + 128<<20 // no FDT: assume 128 MiB
)

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmMemInit() {
	bmMem.lo = alignUp(firstmoduledata.end, bmPage)
	bmMem.bump = bmMem.lo
	bmMem.high = bmMem.lo
	// The end of RAM the board states (goos.go), else a guess; the FDT
	// QEMU places at the top of RAM bounds both.
	bmMem.limit = bmDefaultLimit
	if goos.RamSize != 0 {
		bmMem.limit = uintptr(goos.RamStart + goos.RamSize)
	}
	if bmFDT != 0 && bmLoad32(bmFDT) == 0xedfe0dd0 { // big-endian magic d00dfeed
		fdt := bmFDT &^ (bmPage - 1)
		if goos.RamSize == 0 || fdt < bmMem.limit {
			bmMem.limit = fdt
		}
	}
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmMmap(addr, n uintptr, flags int32, fd int32) int64 {
	if bmMem.lo == 0 {
		bmMemInit()
	}
	if n == 0 {
		return -bmEINVAL
	}
	if flags&bmMapAnon == 0 && fd != -1 {
		return -bmENODEV
	}
	n = alignUp(n, bmPage)
	if flags&bmMapFixed != 0 {
		if addr < bmMem.lo || addr+n > bmMem.high {
			return -bmENOMEM
		}
		return int64(addr)
	}
	if addr != 0 && addr != bmMem.bump {
		return -bmENOMEM
	}
	p := uintptr(0)
	if addr == 0 {
		p = bmTakeFree(n)
	}
	if p == 0 {
		if bmMem.bump+n > bmMem.limit || bmMem.bump+n < bmMem.bump {
			return -bmENOMEM
		}
		p = bmMem.bump
		bmMem.bump += n
	}
	if p < bmMem.high {
		memclrNoHeapPointers(unsafe.Pointer(p), min(n, bmMem.high-p))
	}
	bmMem.high = max(bmMem.high, p+n)
	bmMem.inUse += n
	bmMem.peak = max(bmMem.peak, bmMem.inUse)
	return int64(p)
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmMunmap(addr, n uintptr) int64 {
	n = alignUp(n, bmPage)
	if addr < bmMem.lo || addr+n > bmMem.bump || addr%bmPage != 0 {
		return -bmEINVAL
	}
	bmMem.inUse -= n
	bmPutFree(addr, addr+n)
	return 0
}

// bmTakeFree returns the start of the first free range of at least n
// bytes, or 0.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmTakeFree(n uintptr) uintptr {
	for i := 0; i < bmMem.nfree; i++ {
		r := &bmMem.free[i]
		if r.end-r.base < n {
			continue
		}
		p := r.base
		r.base += n
		if r.base == r.end {
			bmMem.nfree--
			bmMem.free[i] = bmMem.free[bmMem.nfree]
		}
		return p
	}
	return 0
}

// bmPutFree returns [base, end) to the free list, lowering bump when the
// range ends there and merging with neighbours.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmPutFree(base, end uintptr) {
	for i := 0; i < bmMem.nfree; {
		r := &bmMem.free[i]
		if r.end == base || r.base == end {
			base, end = min(base, r.base), max(end, r.end)
			bmMem.nfree--
			bmMem.free[i] = bmMem.free[bmMem.nfree]
			continue
		}
		i++
	}
	if end == bmMem.bump {
		bmMem.bump = base
		return
	}
	if bmMem.nfree == len(bmMem.free) {
		bmMem.leaked += end - base
		return
	}
	bmMem.free[bmMem.nfree] = struct{ base, end uintptr }{base, end}
	bmMem.nfree++
}

// bmReservePhys takes size bytes (page multiple) off the top of the
// runtime's memory for the kernel's own use; 0 if there is not room.
func bmReservePhys(size uintptr) uintptr {
	size = alignUp(size, bmPage)
	if bmMem.limit-bmMem.bump < size {
		return 0
	}
	bmMem.limit -= size
	return bmMem.limit
}
