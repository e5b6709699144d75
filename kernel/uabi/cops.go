package uabi

// The COPS additions to the Linux ABI: how a program finds the scheduler
// state the kernel shares with it, and how its coroutine executor sleeps.
// Not Linux: these are ours. Programs that do not use coroutines ignore
// them (the Go runtime skips auxv keys it does not know).
//
// The Local. When the kernel gives a process its own scheduler state (a
// sched.Local: sched.LocalSize bytes, page aligned, mapped read-write into
// that process only, formatted by the kernel with the process's slot),
// it passes the address in the auxiliary vector under AT_COPS_LOCAL.
// Without the entry the kernel maps no Local: a program's executor keeps
// one in its own memory, which works the same inside the program but
// which the kernel cannot read (no global priority from its coroutines).
//
// Waiting. An executor with no ready coroutine sleeps with one system
// call, futex(FUTEX_WAIT_PRIVATE) on a 32-bit word of its own (value 1
// while it sleeps); whoever makes one of its coroutines ready — another
// thread of the program today — does so in the Local under the Local's
// lock, then swaps the word to 0 and, if it was 1, calls
// futex(FUTEX_WAKE_PRIVATE). No new system call number: the futex the
// runtime already uses is the one wait call, and a kernel that later
// wakes coroutines itself (asynchronous system calls) needs only the
// word's address to do the same.
const (
	// AT_COPS_LOCAL: address of the process's sched.Local ("COPS" in
	// ASCII, far above Linux's own keys).
	AT_COPS_LOCAL = 0x434f5053
)
