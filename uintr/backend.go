package uintr

import (
	"errors"
	"fmt"
)

// Controller is what the kernel calls, whichever back end delivers the
// interrupts: Emu (the kernel plays the hardware: QEMU has no N
// extension) or NExt (an N-extension core with a UINTC, next.go). The
// kernel's calls are the same; where the hardware does a step itself the
// back end's method has less to do.
type Controller interface {
	// Register sets up proc's receiver (already formatted, mapped into
	// the process) and grants VecKernel to the kernel. It returns the
	// registration generation (sender entries name it).
	Register(proc uint16, r *Receiver, sp Space) (uint32, error)
	// Unregister forgets proc (exit) and its sender entries.
	Unregister(proc uint16)
	// Grant lets sender post on recv's vector (recv's system call);
	// the result is the sender's index.
	Grant(recv uint16, vector uint8, sender uint16) (int, error)
	// Post is a process's send (uipi / the emulated send call) through
	// its sender entry idx: ErrNotGranted without one.
	Post(sender uint16, idx int) error
	// Reserve claims a ring slot for an async call of proc: ErrBusy when
	// every slot is spoken for (the call then fails with EAGAIN).
	Reserve(proc uint16) error
	// Complete queues the record of a reserved call and posts
	// VecKernel: the kernel's completion.
	Complete(proc uint16, rec Record) error
	// Pending reports whether proc has an interrupt pending or its
	// handler running (the scheduler boosts it to priority 0).
	Pending(proc uint16) bool
	// Enter runs on every return of proc to user mode on a hart, with
	// its saved user frame: the emulation diverts the frame to the
	// handler here; hardware loads the process's CSRs. An error is a
	// Kill: the process must die with its message.
	Enter(proc uint16, hart uint8, f *Frame) error
	// Leave runs when proc leaves the hart (trap or switch).
	Leave(proc uint16, hart uint8)
	// Return is the emulated uiret (a system call from the trampoline):
	// restores the frame saved at delivery. Hardware has uret instead.
	Return(proc uint16, f *Frame) error
}

// Frame is a user register frame: x0..x31 and pc.
type Frame struct {
	X  [32]uint64
	PC uint64
}

// Registers of the RISC-V calling convention the delivery sets.
const (
	RegRA = 1
	RegSP = 2
	RegA0 = 10
	RegA1 = 11
	RegA2 = 12
)

// Space is what the back ends need to know of a process's memory.
type Space interface {
	// Text reports the process's executable range [lo, hi).
	Text() (lo, hi uint64)
	// Writable reports whether [va, va+n) is mapped writable for the process.
	Writable(va, n uint64) bool
	// Trampoline is where a handler returns to (ra): code that makes
	// the uiret system call. (The vDSO's handler makes it itself.)
	Trampoline() uint64
	// Receiver is the address of the process's receiver (a0 at delivery).
	Receiver() uint64
	// VDSOHandler is the address of the vDSO's handler entry
	// (__vdso_cops_uintr_handler) in this process, or 0: the one
	// handler outside the process's own text that delivery accepts.
	VDSOHandler() uint64
}

// Errors (each becomes an errno at the system-call boundary).
var (
	ErrBadProc    = errors.New("uintr: no such process slot")
	ErrBadVector  = errors.New("uintr: vector out of range")
	ErrTableFull  = errors.New("uintr: sender table full")
	ErrNotGranted = errors.New("uintr: no sender entry: the receiver did not grant this vector")
	ErrNotReg     = errors.New("uintr: process has no receiver")
	ErrBusy       = errors.New("uintr: completion ring full")
	ErrNotInHdlr  = errors.New("uintr: uiret outside a handler")
	ErrBadRecv    = errors.New("uintr: receiver not formatted")
	ErrNoReserve  = errors.New("uintr: completion without a reserved slot")
)

// Kill is an error that ends the process: Msg names it and the reason.
type Kill struct {
	Proc uint16
	Msg  string
}

func (k *Kill) Error() string { return k.Msg }

func kill(proc uint16, format string, a ...any) *Kill {
	return &Kill{proc, fmt.Sprintf("process %d: ", proc) + fmt.Sprintf(format, a...)}
}

// Back-end names, as a board profile's hardware.uintr selects them
// (boards.UINTRHardware, boards.UINTREmulated; TestBackendNames).
const (
	BackendEmulated = "emulated"
	BackendNExt     = "n-extension"
)
