//go:build copslab

package runtime

import (
	"internal/abi"
	"internal/runtime/atomic"
	"unsafe"
)

// bmTrapFrame is what bmTrapVector saves on the trap stack. The assembly
// uses go_asm.h's bmTrapFrame_* offsets, so field order is free.
type bmTrapFrame struct {
	x       [32]uint64 // x[i] = register xi; x[0] unused; x[2] = interrupted sp
	f       [32]uint64 // f0..f31 (raw 64-bit)
	fcsr    uint64
	mepc    uint64
	mcause  uint64
	mtval   uint64
	mstatus uint64
	_       uint64 // keeps the size a multiple of 16
}

// Trap counters, read by the kernel through copslabStats.
var bmStats struct {
	timerIRQs    atomic.Uint64
	externalIRQ  atomic.Uint64
	spurious     atomic.Uint64
	syscalls     atomic.Uint64
	unknownSys   atomic.Uint64
	lastUnknown  atomic.Uint64
	faults       atomic.Uint32
	idle         atomic.Uint64 // mtime ticks spent in wfi (bmIdle)
	userSyscalls atomic.Uint64 // ecalls from U-mode (user.go)
	emulated     atomic.Uint64 // instructions emulated (emulate.go)
}

// bmTrap is called by bmTrapVector with interrupts off, on the trap stack.
//
// bmTrapG is the g register's value while a trap is handled (the
// vector sets it). Its stack is the trap stack and its m the interrupted
// goroutine's m, like the gsignal of a Linux signal handler, so runtime
// functions that check stack bounds or use getg().m work in trap context.
var bmTrapG g

// bmTrapGInit points bmTrapG at the trap stack and the interrupted m.
// The m pointer is stored as an integer: no write barrier in trap
// context (all Ms are m0, a global, anyway).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmTrapGInit(f *bmTrapFrame) {
	if bmTrapG.stack.hi == 0 {
		lo := uintptr(unsafe.Pointer(&bmTrapStack)) + 2048 // below: nested-trap area
		bmTrapG.stack = stack{lo: lo, hi: uintptr(unsafe.Pointer(&bmTrapStack)) + unsafe.Sizeof(bmTrapStack)}
		bmTrapG.stackguard0 = lo + stackGuard
		bmTrapG.stackguard1 = lo + stackGuard
	}
	var mp uintptr
	if gp := (*g)(unsafe.Pointer(uintptr(f.x[27]))); gp != nil {
		mp = uintptr(unsafe.Pointer(gp.m))
	}
	*(*uintptr)(unsafe.Pointer(&bmTrapG.m)) = mp
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmTrap(f *bmTrapFrame) {
	if bmKgdb.armed && bmKgdbTrap(f) {
		return // a breakpoint of the kernel's gdb stub (kgdb.go)
	}
	if bmFromUser(f) {
		if f.mcause == bmExcIllegal && bmEmulate(f, true) {
			return // straight back to the user instruction after it
		}
		bmUserTrap(f)
		return
	}
	bmTrapGInit(f)
	if f.mcause&bmCauseInterrupt != 0 {
		bmInterrupt(f.mcause&^bmCauseInterrupt, f)
		return
	}
	if f.mcause == bmExcEcallM {
		bmStats.syscalls.Add(1)
		f.x[10] = uint64(bmSyscall(f))
		f.mepc += 4
		return
	}
	if f.mcause == bmExcIllegal && bmEmulate(f, false) {
		return
	}
	bmFault(f)
}

// bmInterrupt dispatches one interrupt. f is nil when called from the
// idle loop (already inside a trap).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmInterrupt(code uint64, f *bmTrapFrame) {
	switch code {
	case bmIntMachineTimer:
		bmTimerInterrupt(f)
	case bmIntMachineExt:
		bmStats.externalIRQ.Add(1)
		bmExternalInterrupt()
	default:
		bmStats.spurious.Add(1)
		bmClearMie(1 << code)
	}
}

// bmFault handles an exception that is not a system call: it prints the
// machine report, then makes the faulting goroutine call sigpanic as
// Linux's signal handler would, so the runtime prints the panic and the
// Go stack and exits with status 2. Without a goroutine to blame, or on a
// repeated fault, it powers off with status 3.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmFault(f *bmTrapFrame) {
	n := bmStats.faults.Add(1)
	bmReport("fault", f)
	gp := (*g)(unsafe.Pointer(uintptr(f.x[27])))
	if n > 2 || gp == nil || gp.m == nil || f.mepc < 0x1000 && f.mcause != bmExcInstAccess {
		bmPrint("copslab: cannot raise a Go panic here; powering off\n")
		bmExit(3)
	}
	sig, code := bmSignalFor(f.mcause)
	gp.sig = sig
	gp.sigcode0 = code
	gp.sigcode1 = uintptr(f.mtval)
	gp.sigpc = uintptr(f.mepc)
	// As preparePanic (signal_riscv64.go): save ra in a new stack slot,
	// pretend the faulting pc called sigpanic.
	sp := f.x[2] - 8
	*(*uint64)(unsafe.Pointer(uintptr(sp))) = f.x[1]
	f.x[2] = sp
	if f.mepc != 0 {
		f.x[1] = f.mepc
	}
	f.mepc = uint64(abi.FuncPCABIInternal(sigpanic))
}

// bmSignalFor maps an exception cause to the Linux signal a user program
// would get, as sigpanic expects it.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmSignalFor(cause uint64) (uint32, uintptr) {
	switch cause {
	case bmExcInstMisaligned, bmExcLoadMisaligned, bmExcStoreMisalign:
		return _SIGBUS, _BUS_ADRALN
	case bmExcIllegal:
		return _SIGILL, 0
	case bmExcBreakpoint:
		return _SIGTRAP, 0
	}
	return _SIGSEGV, _SEGV_MAPERR
}

// bmNestedTrap runs when the trap handler itself traps.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmNestedTrap() {
	if bmKgdb.armed {
		bmKgdbRemoveAll() // a breakpoint of gdb's in trap context: not again on the way out
	}
	bmPrint("\ncopslab: trap inside the trap handler")
	bmPrintHex(" mcause=", bmReadMcause())
	bmPrintHex(" mepc=", bmReadMepc())
	bmPrintHex(" mtval=", bmReadMtval())
	bmPrint("\n")
	bmExit(4)
}
