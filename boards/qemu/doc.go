// Package qemu starts an emulator process and talks to its console, for
// tests and tools that boot the copslab kernel.
//
// A Machine owns one process. Its stdout and stderr go to a thread-safe
// console buffer (with -nographic that is the guest's serial port, plus
// QEMU's own messages); Write sends bytes to its stdin (the serial input).
// Expect waits for a regular expression in the output, Wait for the exit.
//
// The process is always reaped: one goroutine calls exec.Cmd.Wait as soon
// as it starts, the context or Kill ends it with SIGKILL, and the pipes are
// closed after a short grace period even if a grandchild still holds them
// (exec.Cmd.WaitDelay), so no call here blocks forever.
package qemu
