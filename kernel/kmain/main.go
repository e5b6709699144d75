//go:build copslab

// Command kmain is the copslab kernel: an ordinary Go program that
// kernel/build links into a bare-metal RISC-V image for QEMU virt (see
// kernel/README.md). The runtime layer (kernel/rt) has already set up
// traps, memory and the clock when main runs; main reads the device tree,
// starts interrupts and runs the mode named by the boot arguments
// (FDT /chosen/bootargs, QEMU -append):
//
//	selftest  run the self-tests, power off with 0 only if all pass
//	          ("selftest fail" adds a failing check)
//	echo      console that echoes what is typed (same as the default)
//	panic     fault on purpose (nil dereference) to show the trap report
//	init, sh  start the embedded init, which runs sh on the console;
//	          power off with init's status
//	run [-novdso] [-t DUR] NAME ARGS...  run one user program
//	repeat N NAME ARGS...                 run it N times, check for leaks
//	runall [-t DUR] NAME...               run several side by side
//	stress [ROUNDS [HZ]]                  heap and preemption stress
//	(none)    init if the image embeds it, else the interactive console
//
// Boot options key=value come before the mode: procmem=SIZE
// (memlimits.go), kgdb=wait|run (the kernel-level gdb stub,
// kernelstub.go), tick=HZ (the timer tick rate, tick.go).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"copslab/kernel/ktrace"
)

// ticks counts timer interrupts (the runtime's tick handler increments it
// through a pointer). Kept as a named global for debugger tests:
// `p 'main.ticks'` in gdb.
var ticks uint64

// tickHz is the timer tick rate; a goroutine that holds the CPU for
// preemptTicks ticks is asked to yield.
const (
	tickHz       = 100
	preemptTicks = 2
)

func main() {
	m, err := discover()
	if err != nil {
		fmt.Println("copslab: device tree:", err)
		rtExit(1)
	}
	m.start()
	ktrace.SetClock(func() uint64 { return uint64(mtimeNow()) })
	fmt.Printf("copslab kernel (%s %s/%s, bare metal, machine mode): memory %d MiB at %#x (from FDT), hart %d of %d\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, m.ramSize>>20, m.ramBase, bootHart, m.harts)
	fmt.Printf("copslab: bootargs %q; wall clock %s (rtc %#x)\n", m.bootargs, time.Now().UTC().Format(time.RFC3339), m.rtc)
	args, err := m.bootOptions(strings.Fields(m.bootargs))
	if err != nil {
		fmt.Println("copslab: boot arguments:", err)
		rtExit(1)
	}
	status := run(m, args)
	stopCOPS()
	os.Exit(status)
}

// run executes the mode the boot arguments select and returns the exit
// status. Its name is stable: kernel/gdbtest breaks on main.run.
func run(m *machine, args []string) int {
	mode := "console"
	if _, ok := embeddedProgs["init"]; ok {
		mode = "init" // the user-mode shell, when the image has one
	}
	if len(args) > 0 {
		mode = args[0]
	}
	switch mode {
	case "init", "sh":
		return initMode(m)
	case "selftest":
		return selftest(m, args[1:]...)
	case "panic":
		crash()
		return 1
	case "echo", "console":
		return console(m)
	case "run":
		return runMode(m, args[1:])
	case "gdbstub":
		return gdbstubMode(m, args[1:])
	case "repeat":
		return repeatMode(m, args[1:])
	case "each":
		return eachMode(m, args[1:])
	case "runall":
		return runAllMode(m, args[1:])
	case "kcoprio":
		return kcoprioMode(m, args[1:])
	case "stress":
		return stressMode(m, args[1:])
	}
	fmt.Printf("copslab: unknown mode %q (want selftest, echo, panic, run NAME, repeat N NAME, runall NAME..., kcoprio or nothing)\n", mode)
	return 1
}
