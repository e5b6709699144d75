//go:build copslab

package runtime

// Board hooks, shaped after TamaGo's runtime/goos API (tamago v1.26.0):
//
//	goos.RamStart, RamSize -> bmMem.lo, bmMem.limit (mem.go)
//	goos.Hwinit0           -> _rt0_riscv64_copslab (entry_riscv64.s)
//	goos.Printk            -> bmPrintk
//	goos.Nanotime          -> bmNanotime
//	goos.Hwinit1           -> copslabHwinit1 (called by the kernel's main
//	                          once the FDT is parsed)
//	goos.Idle              -> bmIdle (timer.go)
//	goos.Exit              -> bmExit
//
// The runtime reaches them through the Linux system calls it already
// makes (write, clock_gettime, futex, epoll_pwait, exit_group), so no
// upstream file needs a call to them.

// bmBoard holds the device addresses. The defaults are QEMU virt's, used
// until the kernel has read the FDT and called copslabConfigure.
type bmBoardConfig struct {
	uart     uintptr // ns16550a registers (1-byte stride)
	clint    uintptr // CLINT: msip, mtimecmp, mtime
	plic     uintptr // PLIC base, 0 = no external interrupts
	test     uintptr // sifive_test finisher
	plicCtx  uint32  // PLIC context of hart 0 in machine mode
	uartIRQ  uint32  // PLIC source of the UART
	timebase uint64  // mtime frequency in Hz
}

var bmBoard = bmBoardConfig{
	uart:     0x10000000,
	clint:    0x2000000,
	test:     0x100000,
	timebase: 10000000,
}

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
	v := uint32(bmFinisherPass)
	if code != 0 {
		v = uint32(code)<<16 | bmFinisherFail
	}
	for {
		bmStore32(bmBoard.test, v)
		bmWFI()
	}
}

// bmPrintk writes one byte to the console, polling the transmitter.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmPrintk(c byte) {
	bmUARTPutc(c)
}

// bmNanotime returns nanoseconds since reset, from the CLINT's mtime.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmNanotime() int64 {
	return bmTicksToNs(bmMtime())
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
