//go:build copslab

package main

import (
	"errors"
	"fmt"

	_ "unsafe" // for go:linkname

	"copslab/kernel/kgdb"
)

// The kernel-level gdb stub: boot option kgdb=wait or kgdb=run (e.g.
// `-append "kgdb=wait runall pipeping"`) arms a monitor in the runtime
// layer (kernel/rt, kgdb.go) on the board's second UART. It stops the
// whole kernel — for a breakpoint, the end of a step, or gdb's interrupt —
// and serves gdb from trap context, so gdb and the workbench see the
// kernel as through QEMU's own stub: registers of the interrupted
// context, kernel memory by symbol, breakpoints in kernel code. kgdb=wait
// stops the kernel right here until gdb continues it; kgdb=run lets it
// run until gdb breaks in. The gdbstub mode (kernel/kgdb on
// gdbstub/server) debugs one user program instead; the two share the
// line, so they exclude each other.

//go:linkname rtKgdbArm runtime.copslabKgdbArm
func rtKgdbArm(uart uintptr, irq uint32, ramLo, ramHi uint64, xml string, next func(uint64, uint32, *[32]uint64) ([2]uint64, int))

//go:linkname rtKgdbBreak runtime.copslabKgdbBreak
func rtKgdbBreak()

// kernelStub is set once the kernel-level stub is armed.
var kernelStub bool

// startKernelStub arms the stub (mode "run") and stops the kernel until
// gdb continues it (mode "wait").
func (m *machine) startKernelStub(mode string) error {
	if mode != "wait" && mode != "run" {
		return fmt.Errorf("kgdb=%s: want kgdb=wait or kgdb=run", mode)
	}
	base, irq := debugUARTBase()
	if base == 0 {
		return errors.New("kgdb: this board has no second UART for the gdb stub (sifive_u and rocket have one)")
	}
	debugUART() // initialises it
	rtKgdbArm(base, irq, m.ramBase, m.ramBase+m.ramSize, kgdb.Description(), kgdb.Next)
	kernelStub = true
	if mode == "run" {
		fmt.Println("copslab: kgdb: kernel stub on the second UART; gdb may attach and interrupt")
		return nil
	}
	fmt.Println("copslab: kgdb: kernel stub on the second UART; halted until gdb continues")
	rtKgdbBreak()
	fmt.Println("copslab: kgdb: continued")
	return nil
}
