package uabi

// The COPS user-interrupt and asynchronous system-call ABI (ours, not
// Linux's). The state behind it is package copslab/uintr; its README
// says how the kernel serves these calls. Numbers start at 1536, far
// above Linux's riscv64 table.
//
// Served by kernel/proc/uintr.go with the emulation (uintr.Emu).
//
// Receiver. NR_COPS_UINTR_REGISTER maps a formatted uintr.Receiver
// (uintr.RecvSize bytes, read-write, this process only, right after the
// process's sched.Local) and returns its address (-ENOSYS for a process
// without a Local); the process then writes its handler entry, handler
// stack, enables and Wake word into it. Registering again replaces the
// receiver and voids every grant made to the old one.
//
// Sending. NR_COPS_UINTR_GRANT(vector, pid) lets process pid post on this
// process's vector and returns the sender-table index pid must name
// (-ESRCH: no such process with a Local; -ENOSPC: pid's table is full);
// NR_COPS_UINTR_SEND(index) posts through the caller's own entry and
// fails with -EPERM when the caller holds no such entry (nobody can post
// to a receiver that did not grant it).
//
// Delivery. On its next return to user mode with an enabled vector
// pending, the process continues at its handler entry with sp = its
// handler stack, a0 = its receiver's address, a1 = the hart, a2 = the
// vectors taken and ra = a trampoline that makes NR_COPS_UIRET: back to
// the interrupted instruction with every register as it was. The vDSO
// exports a complete handler, __vdso_cops_uintr_handler (version
// COPSLAB_1): it drains the records and wakes the coroutines in the
// process's sched.Local, which the kernel maps directly before the
// receiver, then makes NR_COPS_UIRET itself. After each uiret the
// kernel stores 0 to the receiver's Wake word (if set) and wakes one
// futex waiter on it. A process whose threads all sleep when its
// interrupt comes has one woken as a signal would (EINTR).
//
// Async calls. NR_COPS_ASYNC(nr, a0, a1, a2, key, co) starts system call
// nr (read, write or nanosleep: SYS_READ, SYS_WRITE, SYS_NANOSLEEP) with
// its first three arguments and returns 0 at once (or -EAGAIN when the
// completion ring is full, -EINVAL for another nr or without a
// receiver). When it completes the kernel queues the record (key, result, coroutine co) in the receiver
// and posts vector 0; the handler wakes co, which finds the result by its
// slot. The sync forms keep their semantics.
const (
	NR_COPS_UINTR_REGISTER = 1536
	NR_COPS_UINTR_GRANT    = 1537
	NR_COPS_UINTR_SEND     = 1538
	NR_COPS_UIRET          = 1539
	NR_COPS_ASYNC          = 1540
)
