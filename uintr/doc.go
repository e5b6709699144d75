// Package uintr holds user-space interrupts: how the kernel tells a
// process that an async system call completed, without the process
// asking.
//
//   - layout.go: the receiver, one process's interrupt state in memory
//     shared with the kernel (enable, pending mirror, handler entry and
//     stack, the completion ring, per-coroutine results).
//   - sender.go: the sender table: a process posts only through entries
//     a receiver granted it.
//   - protocol.go: the handler, and how it shares the process's
//     scheduler lock with the executor it interrupts (the protocol as
//     numbered steps); vDSO code.
//   - backend.go: Controller, the one interface the kernel calls.
//   - emu.go: the kernel's emulation on cores without the N extension
//     (QEMU): delivery on return to user mode, uiret as a system call.
//   - next.go: the back end for N-extension cores with a UINTC (CSRs
//     behind an interface, tested against a fake: no such core here).
package uintr

import "copslab/sched"

// localCos is the coroutine slots of a sched.Local (Receiver.Done).
const localCos = sched.LocalCos
