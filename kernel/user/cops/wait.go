package cops

import (
	"syscall"
	"unsafe"
)

// The executor's one wait call (kernel/uabi/cops.go): futex on its own
// word. syscall.Syscall tells the Go runtime the thread may block, so
// the program's other goroutines keep running on other threads.

const (
	futexWaitPrivate = 128 | 0 // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
	futexWakePrivate = 128 | 1 // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
)

// futexWait sleeps while *w is 1 (returns at once if it is not; spurious
// returns are fine: the executor looks again).
func futexWait(w *uint32) {
	syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(w)), futexWaitPrivate, 1, 0, 0, 0)
}

// futexWake wakes the executor sleeping on w.
func futexWake(w *uint32) {
	syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(w)), futexWakePrivate, 1, 0, 0, 0)
}
