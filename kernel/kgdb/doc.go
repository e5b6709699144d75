// Package kgdb is the gdb stub inside the kernel, for boards without JTAG:
// it serves the GDB Remote Serial Protocol (through copslab/gdbstub/server)
// on a byte stream — the board's second UART — and debugs one user
// process: its threads are gdb threads, its registers and memory are
// theirs, breakpoints are ebreak instructions written into its text,
// single-step is done in software (next-pc decoding, step.go).
//
// The package is pure Go and host-tested: the kernel (kernel/kmain,
// gdbstub.go) runs the process and hands each stop to the Stub; tests
// drive the same Stub with simulated threads and a real gdbstub client.
//
// Run control. gdb's continue or step becomes Stub.Resume on the server's
// goroutine; it hands a Run to the kernel's loop (Stub.Wait) and blocks
// until the loop reports a stop (Stub.Stopped). Between the two the loop
// runs the process as the kernel always does; it asks Stub.Want for every
// trap whether the debugger takes it (a breakpoint of ours) and checks
// Stub.Interrupted at every interrupt, so gdb's ^C stops the process at
// the next tick.
package kgdb
