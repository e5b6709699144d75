//go:build copslab

package main

import "unsafe" // for go:linkname and rtUserEnter's frame pointer

// The runtime layer's kernel API (kernel/rt/api.go), reached with
// //go:linkname because it lives in package runtime. Bodies are there;
// stubs_riscv64.s lets the compiler accept the declarations.

//go:linkname rtFDT runtime.copslabFDT
func rtFDT() uintptr

//go:linkname rtConfigure runtime.copslabConfigure
func rtConfigure(uart, clint, plic, test uintptr, plicCtx, uartIRQ uint32, timebase uint64)

//go:linkname rtHwinit1 runtime.copslabHwinit1
func rtHwinit1(counter *uint64, hz uint64, preemptAfter uint32)

//go:linkname rtMtime runtime.copslabMtime
func rtMtime() (ticks, hz uint64)

//go:linkname rtMem runtime.copslabMem
func rtMem() (lo, bump, limit, inUse, peak uintptr)

//go:linkname rtReservePhys runtime.copslabReservePhys
func rtReservePhys(size uintptr) uintptr

//go:linkname rtRx runtime.copslabRx
func rtRx() (bytes, at uint64)

//go:linkname rtStatsRaw runtime.copslabStats
func rtStatsRaw() (timer, external, syscalls, unknown, lastUnknown, preempts, asyncPreempts, rxBytes uint64)

// trapStats are the runtime layer's counters.
type trapStats struct {
	timer, external         uint64 // interrupts
	syscalls, unknown       uint64 // system calls emulated, and of those unknown
	lastUnknown             uint64 // number of the last unknown call
	preempts, asyncPreempts uint64
	rxBytes                 uint64 // UART bytes received
}

// rtStats reads the runtime layer's counters.
func rtStats() trapStats {
	var s trapStats
	s.timer, s.external, s.syscalls, s.unknown, s.lastUnknown, s.preempts, s.asyncPreempts, s.rxBytes = rtStatsRaw()
	return s
}

//go:linkname rtExit runtime.copslabExit
func rtExit(code int32)

//go:linkname rtPhysSlice runtime.copslabPhysSlice
func rtPhysSlice(pa, n uintptr) []byte

//go:linkname rtUnknownSyscalls runtime.copslabUnknownSyscalls
func rtUnknownSyscalls() []uint64

//go:linkname rtPhysLoad64 runtime.copslabPhysLoad64
func rtPhysLoad64(pa uintptr) uint64

//go:linkname rtPhysStore64 runtime.copslabPhysStore64
func rtPhysStore64(pa uintptr, v uint64)

//go:linkname rtSetWallClock runtime.copslabSetWallClock
func rtSetWallClock(unixNanos int64, mtimeAt uint64)

//go:linkname rtLoad32 runtime.copslabLoad32
func rtLoad32(addr uintptr) uint32

//go:linkname rtIdle runtime.copslabIdle
func rtIdle() int64

//go:linkname rtUserEnter runtime.copslabUserEnter
func rtUserEnter(frame unsafe.Pointer)

//go:linkname rtUserStats runtime.copslabUserStats
func rtUserStats() uint64

// rdinstret reads the instret counter (stubs_riscv64.s).
func rdinstret() uint64
