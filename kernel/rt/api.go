//go:build copslab

package runtime

import "unsafe"

// The kernel's main package (kernel/kmain) reaches these functions with
// //go:linkname; the one-argument //go:linkname here marks each as
// intentionally reachable (Go 1.23+ rejects pulls the runtime did not
// push). They run in ordinary goroutine context.

// copslabFDT returns the address of the FDT QEMU passed at boot (0 if
// none was found).
//
//go:linkname copslabFDT
func copslabFDT() uintptr {
	if bmFDT != 0 && bmLoad32(bmFDT) == 0xedfe0dd0 {
		return bmFDT
	}
	return 0
}

// copslabConfigure replaces the default device addresses with the ones
// the kernel read from the FDT. plic == 0 keeps external interrupts off.
//
//go:linkname copslabConfigure
func copslabConfigure(uart, clint, plic, test uintptr, plicCtx, uartIRQ uint32, timebase uint64) {
	if uart != 0 {
		bmBoard.uart = uart
	}
	if clint != 0 {
		bmBoard.clint = clint
	}
	if test != 0 {
		bmBoard.test = test
	}
	if timebase != 0 {
		bmBoard.timebase = timebase
	}
	bmBoard.plic, bmBoard.plicCtx, bmBoard.uartIRQ = plic, plicCtx, uartIRQ
}

// copslabHwinit1 is TamaGo's Hwinit1: with the world running and the
// devices known, route the UART interrupt through the PLIC, start the
// timer tick (hz per second; a goroutine holding the CPU for
// preemptAfter ticks is asked to yield) and enable interrupts.
//
//go:linkname copslabHwinit1
func copslabHwinit1(counter *uint64, hz uint64, preemptAfter uint32) {
	bmClearMstatus(bmMstatusMIE)
	bmTick.counter = counter
	if bmBoard.plic != 0 && bmBoard.uartIRQ != 0 {
		bmPLICEnable(bmBoard.uartIRQ, bmBoard.plicCtx)
		bmUARTEnableRx()
		bmSetMie(bmMieMEIE)
	}
	bmStartTicks(hz, preemptAfter)
	bmSetMie(bmMieMTIE)
	bmSetMstatus(bmMstatusMIE)
}

// copslabMtime returns the CLINT's mtime counter and its frequency.
//
//go:linkname copslabMtime
func copslabMtime() (ticks, hz uint64) { return bmMtime(), bmBoard.timebase }

// copslabMem reports the runtime's physical memory: [lo, limit) is what
// mmap may use, bump its current top, inUse/peak the bytes mapped.
//
//go:linkname copslabMem
func copslabMem() (lo, bump, limit, inUse, peak uintptr) {
	return bmMem.lo, bmMem.bump, bmMem.limit, bmMem.inUse, bmMem.peak
}

// copslabReservePhys takes size bytes off the top of the runtime's
// memory for the kernel's page allocator; 0 if there is no room.
//
//go:linkname copslabReservePhys
func copslabReservePhys(size uintptr) uintptr { return bmReservePhys(size) }

// copslabStats returns trap counters.
//
//go:linkname copslabStats
func copslabStats() (timer, external, syscalls, unknown, lastUnknown, preempts, asyncPreempts, rxBytes uint64) {
	return bmStats.timerIRQs.Load(), bmStats.externalIRQ.Load(), bmStats.syscalls.Load(),
		bmStats.unknownSys.Load(), bmStats.lastUnknown.Load(), bmTick.preempts.Load(),
		bmTick.asyncPreempts.Load(), bmRx.bytes.Load()
}

// copslabRx returns how many console bytes have arrived in total and the
// mtime of the last one (the kernel's console driver coroutine is woken
// when the count moves).
//
//go:linkname copslabRx
func copslabRx() (bytes, at uint64) { return bmRx.bytes.Load(), bmRx.at.Load() }

// copslabExit powers the machine off; QEMU exits with status code.
//
//go:linkname copslabExit
func copslabExit(code int32) { bmExit(code) }

// copslabPhysSlice views physical memory as a byte slice (no paging:
// addresses are physical).
//
//go:linkname copslabPhysSlice
func copslabPhysSlice(pa, n uintptr) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(pa)), n)
}

// copslabUnknownSyscalls returns the distinct system call numbers that
// got -ENOSYS (up to 8, in order of first use).
//
//go:linkname copslabUnknownSyscalls
func copslabUnknownSyscalls() []uint64 {
	var nrs []uint64
	for _, v := range bmUnknown {
		if v != 0 {
			nrs = append(nrs, v-1)
		}
	}
	return nrs
}

// copslabPhysLoad64 and copslabPhysStore64 access a 64-bit word of
// physical memory (the kernel's vm.Mem).
//
//go:linkname copslabPhysLoad64
func copslabPhysLoad64(pa uintptr) uint64 { return bmLoad64(pa) }

//go:linkname copslabPhysStore64
func copslabPhysStore64(pa uintptr, v uint64) { bmStore64(pa, v) }

// copslabSetWallClock sets CLOCK_REALTIME: unixNanos is the wall time
// read from a real-time clock at the moment mtime read mtimeAt.
//
//go:linkname copslabSetWallClock
func copslabSetWallClock(unixNanos int64, mtimeAt uint64) {
	bmWallOffset = unixNanos - bmTicksToNs(mtimeAt)
}

// copslabLoad32 reads a 32-bit device register.
//
//go:linkname copslabLoad32
func copslabLoad32(addr uintptr) uint32 { return bmLoad32(addr) }

// copslabIdle returns the time spent idle (in wfi) since boot, in ns.
//
//go:linkname copslabIdle
func copslabIdle() int64 { return bmTicksToNs(bmStats.idle.Load()) }
