//go:build copslab

package runtime

import (
	"internal/abi"
	"unsafe"
)

// User mode: the kernel runs a user program as a call that returns at
// the program's next trap.
//
// A kernel goroutine calls copslabUserEnter(frame). bmUserEnter saves
// the goroutine's ra, sp and g in the frame, records the frame in
// bmUser, loads satp (the process's Sv39 table), mepc and every user
// register from the frame and executes mret with mstatus.MPP = U.
//
// Any trap from U-mode (ecall, page fault, illegal instruction, or an
// interrupt: machine interrupts are always enabled below M-mode) enters
// the ordinary vector, which saves the user's registers on the trap
// stack. bmTrap sees mstatus.MPP = U and calls bmUserTrap: it copies the
// registers, mcause and mtval into the frame, serves an interrupt in
// place, and rewrites the saved context to the kernel goroutine's
// (ra, sp, g from the frame, mepc = bmUserReturn, MPP = M). The vector's
// mret then "returns" from bmUserEnter to the kernel goroutine, which
// reads the cause from the frame and handles it in ordinary Go code
// (system calls, page faults) before entering again.
//
// So user code is a coroutine of one kernel goroutine; at most one runs
// at a time (one hart). The kernel is not paged (M-mode ignores satp
// unless MPRV is set), so satp can stay loaded while the kernel runs.

// bmUserFrame is a user thread's saved state. Its layout is shared with
// kernel/proc.TrapFrame (checked by a host test in kernel/proc) and with
// the assembly through go_asm.h (bmUserFrame_*).
type bmUserFrame struct {
	x     [32]uint64 // x[i] = register xi (x0 unused)
	f     [32]uint64 // f0..f31
	fcsr  uint64
	pc    uint64 // user pc: where the next entry resumes (mepc)
	cause uint64 // mcause of the last trap from U-mode
	tval  uint64 // mtval of that trap
	satp  uint64 // address space to run in
	ksp   uint64 // kernel goroutine's sp, ra and g while user code runs
	kra   uint64
	kg    uint64
}

// bmUser is the frame of the user code now running (0: none).
var bmUser uintptr

// bmUserPMP is set once PMP and mcounteren are configured for U-mode.
var bmUserPMP bool

// Defined in user_riscv64.s.
func bmUserEnter(uf uintptr)
func bmUserReturn()
func bmUserPMPInit()

// copslabUserEnter runs user code from frame uf until its next trap;
// the trap's cause and value are then in the frame. uf points to a
// kernel/proc.TrapFrame that the caller keeps alive.
//
//go:linkname copslabUserEnter
func copslabUserEnter(uf unsafe.Pointer) {
	if !bmUserPMP {
		bmUserPMPInit()
		bmUserPMP = true
	}
	bmUserEnter(uintptr(uf))
}

// bmFromUser reports whether the trap in f came from U-mode.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmFromUser(f *bmTrapFrame) bool {
	return f.mstatus&bmMstatusMPP == 0 && bmUser != 0
}

// bmUserTrap saves the user's state, serves an interrupt in place and
// turns f into the kernel goroutine's context returning from
// bmUserEnter.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmUserTrap(f *bmTrapFrame) {
	uf := (*bmUserFrame)(unsafe.Pointer(bmUser))
	bmUser = 0
	uf.x = f.x
	uf.f = f.f
	uf.fcsr = f.fcsr
	uf.pc = f.mepc
	uf.cause = f.mcause
	uf.tval = f.mtval
	f.x[1], f.x[2], f.x[27] = uf.kra, uf.ksp, uf.kg
	f.mepc = uint64(abi.FuncPCABI0(bmUserReturn))
	bmSetMstatus(bmMstatusMPP) // mret goes back to M-mode
	bmTrapGInit(f)
	if f.mcause&bmCauseInterrupt != 0 {
		// nil: the kernel goroutine is not to be preempted inside
		// bmUserReturn; it sees the interrupt cause and yields itself.
		bmInterrupt(f.mcause&^bmCauseInterrupt, nil)
	} else if f.mcause == bmExcEcallU {
		bmStats.userSyscalls.Add(1)
	}
}

// copslabUserStats returns the number of system calls made from U-mode.
//
//go:linkname copslabUserStats
func copslabUserStats() uint64 { return bmStats.userSyscalls.Load() }
