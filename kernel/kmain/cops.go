//go:build copslab

package main

import (
	"fmt"
	"time"

	"copslab/kernel/proc"
	"copslab/sched"
	"copslab/sched/executor"
	"copslab/uintr"
)

// The kernel's COPS state. copsGlobal (process slots, global priorities,
// the hart table, the trace of coroutines) and kernelLocal (the kernel's
// own coroutines, process slot 0) are package variables, so a debugger
// finds them through the ELF symbols "main.copsGlobal" and
// "main.kernelLocal" (layouts in sched/layout.go). The executor over them
// makes every decision of the run loop (kernel/proc/cops.go): it runs the
// kernel's coroutines and places processes, by priority.
//
// The kernel's coroutines:
//
//	priority 0  console driver   woken when console bytes arrive (the run loop sees the UART's count move after any trap or idle wait); echoes them and wakes the readers
//	priority 1  timer queue      woken when a thread's deadline is due; wakes the sleepers (kernel/proc)
//	priority 0  kernel syscalls  woken when an async system call's wait ends; runs its call on (kernel/proc/uintr.go)
//	priority *  scheduler        the process scheduler itself: its priority is that of the process it places
//
// uintrCtl is the machine's user-interrupt controller: the emulation
// (QEMU has no N extension). Its stages (io-done, uintr-send,
// uintr-deliver) go into the kernel's trace with the trace clock.
var uintrCtl *uintr.Emu

var (
	copsGlobal  sched.Global
	kernelLocal sched.Local
	kexec       *executor.Executor
	consoleCo   *executor.Driver
)

// setupCOPS starts the executor and the console driver coroutine and
// gives the executor to kernel/proc: from now on every process gets a
// slot and a Local, and every decision is the executor's.
func (m *machine) setupCOPS() {
	if m.frames == nil {
		return
	}
	x, err := executor.New(&copsGlobal, &kernelLocal, func() uint64 { return uint64(mtimeNow()) })
	if err == nil {
		consoleCo, err = x.NewDriver(0, input.serve)
	}
	if err != nil {
		panic("copslab: " + err.Error())
	}
	kexec = x
	proc.SetCOPS(x)
	uintrCtl = uintr.NewEmu()
	uintrCtl.Trace = proc.TraceUintr
	proc.SetUintr(uintrCtl)
}

// stopCOPS ends the kernel's coroutines at power-off, so a recording
// that ends there has every task Exited.
func stopCOPS() {
	if kexec != nil {
		proc.StopCOPS()
	}
}

// rxSeen is the console byte count the driver was last woken for.
var rxSeen uint64

// consoleArrived wakes the console driver coroutine if bytes arrived
// since it last ran (the run loop asks after every trap and idle wait).
func consoleArrived() {
	if consoleCo == nil {
		return
	}
	if n, _ := rtRx(); n != rxSeen {
		rxSeen = n
		consoleCo.Interrupt(n)
	}
}

// echoStats are the console driver's measurements (guest time, from
// the arrival of a byte in the interrupt handler to its echo).
var echoStats struct {
	runs int
	max  time.Duration
}

// reportEcho prints the driver's latency (runall prints it when keys
// were typed).
func reportEcho() {
	if echoStats.runs > 0 {
		fmt.Printf("copslab: console driver: %d runs, arrival to echo at most %v (guest mtime)\n", echoStats.runs, echoStats.max)
	}
}

// mtimeAt converts an mtime reading to the ns clock of mtimeNow.
func mtimeAt(t uint64) time.Duration {
	_, hz := rtMtime()
	return mtimeDuration(t, hz)
}
