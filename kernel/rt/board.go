//go:build copslab

package runtime

import (
	"internal/runtime/sys"
	"runtime/goos"
)

// Board hooks, shaped after TamaGo's runtime/goos API (tamago v1.26.0):
//
//	goos.RamStart, RamSize -> bmMem.lo, bmMem.limit (mem.go)
//	goos.Hwinit0           -> _rt0_riscv64_copslab (entry_riscv64.s)
//	goos.Printk            <- bmConsolePutc (goos.go)
//	goos.Nanotime          <- bmNanotime
//	goos.Hwinit1           <- bmBoardInit (goos.go); copslabHwinit1 (api.go)
//	                          is the kernel's second step once the FDT is
//	                          parsed: PLIC, UART receive, tick
//	goos.Idle              -> bmIdle (timer.go)
//	goos.Exit              -> bmExit
//
// "<-": the runtime layer calls the board's hook (runtime/goos, goos.go);
// "->": the runtime layer implements it. The runtime reaches them through
// the Linux system calls it already makes (write, clock_gettime, futex,
// epoll_pwait, exit_group), so no upstream file needs a call to them.

// bmBoard holds the device addresses. The defaults are the board's
// (boardcfg_*.go, chosen by the build tag of the board the kernel is built
// for), used until the kernel has read the FDT and called
// copslabConfigure.
type bmBoardConfig struct {
	uart     uintptr // console UART registers
	uartKind uint32  // bmUartNS16550 or bmUartSiFive
	clint    uintptr // CLINT: msip, mtimecmp, mtime
	plic     uintptr // PLIC base, 0 = no external interrupts
	test     uintptr // sifive_test finisher; 0: none
	semihost bool    // without a finisher: power off by a semihosting exit (else park)
	plicCtx  uint32  // PLIC context of the boot hart in machine mode
	uartIRQ  uint32  // PLIC source of the UART
	timebase uint64  // mtime frequency in Hz
}

// Console UART kinds.
const (
	bmUartNS16550 = 0 // QEMU virt
	bmUartSiFive  = 1 // SiFive FU540, Rocket chip
)

var bmBoard = bmBoardDefault

// bmFDT is the FDT address QEMU passed in a1 (set by the entry code).
var bmFDT uintptr

// sifive_test finisher values (QEMU hw/misc/sifive_test.c).
const (
	bmFinisherFail = 0x3333
	bmFinisherPass = 0x5555
)

// bmExit powers the machine off; QEMU exits with status code.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmExit(code int32) {
	bmKgdbAtExit(code, sys.GetCallerSP(), sys.GetCallerPC())
	if bmBoard.test == 0 && bmBoard.semihost {
		bmSemihostExitCode(code)
	}
	v := uint32(bmFinisherPass)
	if code != 0 {
		v = uint32(code)<<16 | bmFinisherFail
	}
	for {
		if bmBoard.test != 0 {
			bmStore32(bmBoard.test, v)
		}
		bmWFI()
	}
}

// bmSemihostExitCode asks a semihosting host (QEMU with
// -semihosting-config enable=on) to exit with code. Boards without a
// test finisher under QEMU (sifive_u) power off this way; without a host
// it traps as a breakpoint (a trap inside the trap handler), and bmExit
// parks the hart.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmSemihostExitCode(code int32) {
	if bmSemihost.tried {
		return // the ebreak trapped: no host
	}
	bmSemihost.tried = true
	// ADP_Stopped_ApplicationExit and the status.
	bmSemihost.block = [2]uint64{0x20026, uint64(code)}
	bmSemihostExit(&bmSemihost.block)
}

var bmSemihost struct {
	tried bool
	block [2]uint64
}

// func bmSemihostExit(block *[2]uint64) (goos_riscv64.s)
func bmSemihostExit(block *[2]uint64)

// bmNanotime returns nanoseconds since reset: the board's goos.Nanotime
// (TamaGo's SiFive CLINT driver reading mtime).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmNanotime() int64 {
	return goos.Nanotime()
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmTicksToNs(t uint64) int64 {
	f := bmBoard.timebase
	return int64(t/f*1e9 + t%f*1e9/f)
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmNsToTicks(ns int64) uint64 {
	if ns <= 0 {
		return 0
	}
	f := bmBoard.timebase
	n := uint64(ns)
	return n/1e9*f + n%1e9*f/1e9
}
