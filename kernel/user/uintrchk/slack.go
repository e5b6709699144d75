package main

import (
	"fmt"
	"syscall"
	"time"
)

// Linux's prctl options for timer slack (the kernel keeps it per
// process: kernel/proc/slack.go).
const (
	prSetTimerSlack = 29
	prGetTimerSlack = 30
)

// setTimerSlack lets the kernel end this process's timed waits up to d
// late — its Go runtime's own naps (sysmon) then wait for the process's
// next wake-up instead of placing it — and reads the value back (0:
// leave the default).
func setTimerSlack(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, uintptr(d), 0); e != 0 {
		return fmt.Errorf("prctl(PR_SET_TIMERSLACK, %d): %w", d, e)
	}
	got, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetTimerSlack, 0, 0)
	if e != 0 || time.Duration(got) != d {
		return fmt.Errorf("prctl(PR_GET_TIMERSLACK) = %d (%v), want %d", got, e, d)
	}
	return nil
}
