package uintr

import (
	"unsafe"

	"copslab/sched"
	"copslab/vdso"
)

// The emulation's handler in the vDSO. The image builder (vdso/image)
// wraps HandlerEntry in a C entry point, __vdso_cops_uintr_handler, whose code
// reads rdtime, passes the vDSO's data page and, because HandlerEntry returns
// vdso.Syscall, ends with the uiret system call (NR_COPS_UIRET) — the
// kernel then restores the interrupted frame, so nothing after it runs
// and the handler needs to save no register. A process registers this
// address as its handler (it lies in its vDSO text); Emu's delivery sets
// a0 = the receiver's address and a1 = the hart.
//
// Layout rule: the kernel maps a process's receiver directly after its
// sched.Local, so the handler finds the Local without trusting a pointer
// from shared memory.

// CLOCK_MONOTONIC for vdso.ClockGettime.
const clockMonotonic = 1

// HandlerTag is the lock tag of the handler on hart: the user tag with
// 0x200 added, so a dump tells the handler from the executor it
// interrupted.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func HandlerTag(hart uint8) uint32 { return sched.LockTag(hart, true) | 0x200 }

// HandlerEntry is the vDSO handler's body: Handle with the time from the data
// page; it always asks its entry for the uiret system call.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func HandlerEntry(d *vdso.Data, r *Receiver, hart uintptr, ticks uint64) uintptr {
	var ts vdso.Timespec
	var now uint64
	if vdso.ClockGettime(d, clockMonotonic, &ts, ticks) == vdso.Done {
		now = uint64(ts.Sec)*1_000_000_000 + uint64(ts.Nsec)
	}
	l := (*sched.Local)(unsafe.Add(unsafe.Pointer(r), -sched.LocalSize))
	r.Handle(l, sched.Ctx{Now: now, Hart: uint8(hart)}, HandlerTag(uint8(hart)))
	return vdso.Syscall
}
