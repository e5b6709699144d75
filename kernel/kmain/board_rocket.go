//go:build copslab && board_rocket

package main

// The board: Rocket-chip with the N extension on the ALINX AXU15EG
// (build with -board rocket; boards/rocket-axu15eg.yaml). Importing the
// board package supplies the runtime/goos hooks.
import (
	"io"

	"copslab/kernel/board/axu15eg"
)

// bootHart is the hart the kernel runs on (kernel/rt's bmBootHart).
const bootHart = 0

// debugUART is the gdb stub's line: the second sifive-blocks UART
// (initialised by the board's Hwinit1).
func debugUART() io.ReadWriter { return uartLine{axu15eg.UART1} }

// debugUARTBase is that UART's register block and PLIC source
// (boards/rocket-axu15eg.dts: serial@10021000, interrupts = <2>); the
// kernel-level stub in kernel/rt drives it directly, in trap context.
func debugUARTBase() (uintptr, uint32) { return uintptr(axu15eg.UART1.Base), 2 }
