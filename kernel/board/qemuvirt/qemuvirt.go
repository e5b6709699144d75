//go:build copslab

// Package qemuvirt is the board layer of QEMU's riscv64 virt machine:
// a few lines of wiring over the SoC package (kernel/soc/qemuvirt), as
// TamaGo's board packages are. Importing it supplies the runtime/goos
// hooks Hwinit1 and Printk. RamSize stays 0: the RAM size is QEMU's -m,
// which the runtime layer learns from the device tree.
package qemuvirt

import (
	_ "unsafe" // go:linkname

	"copslab/kernel/soc/qemuvirt"
)

// UART0 is the console.
var UART0 = qemuvirt.UART0

// Init is TamaGo's Hwinit1 for this board: the runtime layer calls it
// once, before any package's init.
//
//go:linkname Init runtime/goos.Hwinit1
func Init() {
	qemuvirt.Init()
}

//go:linkname printk runtime/goos.Printk
func printk(c byte) {
	UART0.Tx(c)
}
