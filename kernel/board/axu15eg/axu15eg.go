//go:build copslab

// Package axu15eg is the board layer for a Rocket-chip bitstream on the
// ALINX AXU15EG (Xilinx Zynq UltraScale+ XCZU15EG): the Rocket SoC
// (kernel/soc/rocket) with 1 GiB of the board's programmable-logic DDR4
// at 0x8000_0000. Importing it supplies the runtime/goos hooks Hwinit1,
// Printk and RamSize. Profile: boards/rocket-axu15eg.yaml.
package axu15eg

import (
	_ "unsafe" // go:linkname

	"copslab/kernel/soc/rocket"
)

// RAM_SIZE is the memory the bitstream maps at rocket.RAM_START.
const RAM_SIZE = 0x40000000 // 1 GiB

// UART0 is the console, UART1 the gdb stub's line.
var (
	UART0 = rocket.UART0
	UART1 = rocket.UART1
)

//go:linkname ramSize runtime/goos.RamSize
var ramSize uint = RAM_SIZE

// Init is TamaGo's Hwinit1 for this board.
//
//go:linkname Init runtime/goos.Hwinit1
func Init() {
	rocket.Init()
}

//go:linkname printk runtime/goos.Printk
func printk(c byte) {
	UART0.Tx(c)
}
