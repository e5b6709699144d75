//go:build copslab

package runtime

import "runtime/goos"

// The runtime layer calls the board through runtime/goos (kernel/goos,
// added to GOROOT by the overlay), as TamaGo's runtime does: the board's
// packages — TamaGo's board/qemu/sifive_u on top of soc/sifive/fu540 and
// riscv64, or the kernel's own kernel/board/qemuvirt — define the hooks
// with //go:linkname, the kernel's main package imports the board.
//
//	goos.Hwinit1   bmBoardInit, from this package's init: before any
//	               other package is initialised, after the heap exists
//	goos.Printk    bmConsolePutc: every console byte once Hwinit1 ran
//	goos.Nanotime  bmNanotime (board.go): the clock of clock_gettime
//	goos.RamStart/RamSize  bmMemInit (mem.go): the RAM mmap may use,
//	               further bounded by the FDT QEMU places at its top
//	goos.Exit      set here to the runtime layer's power-off, replacing
//	               the wfi that TamaGo's CPU.Init installs (goos.Idle,
//	               which CPU.Init also sets, has no caller here: idling is
//	               the emulated futex/epoll_pwait/nanosleep, timer.go)
//
// TamaGo's riscv64 CPU.Init also points mtvec at its own exception
// handler; this layer owns every trap (system call emulation, timer,
// faults), so bmBoardInit puts its vector back.

// bmConsoleUp is set once the board's Printk works (after Hwinit1: the
// board's UART driver may not work before its Init — TamaGo's SiFive
// UART computes its register addresses there). Until then console bytes
// go out through the runtime layer's own polling transmitter at the
// board's default address (uart.go), as TamaGo wants Printk written in
// assembly before Hwinit1.
var bmConsoleUp bool

func init() {
	bmBoardInit()
}

// bmBoardInit runs the board's Hwinit1 and takes the CPU back.
func bmBoardInit() {
	vec := bmReadMtvec()
	goos.Hwinit1()
	bmWriteMtvec(vec)
	goos.Exit = bmExitHook
	bmConsoleUp = true
}

// bmConsolePutc writes one console byte through the board.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmConsolePutc(c byte) {
	if bmConsoleUp {
		goos.Printk(c)
		return
	}
	bmUARTEarlyPutc(c)
}

// bmExitHook is goos.Exit: power off with status code.
func bmExitHook(code int32) { bmExit(code) }

// func bmReadMtvec() uint64; func bmWriteMtvec(v uint64) (goos_riscv64.s)
func bmReadMtvec() uint64
func bmWriteMtvec(v uint64)
