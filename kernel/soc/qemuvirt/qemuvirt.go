//go:build copslab

// Package qemuvirt is the SoC layer of QEMU's riscv64 virt machine, in
// TamaGo's CPU → SoC → board layering: the RISC-V CPU is TamaGo's
// riscv64 package, the core-local interruptor TamaGo's SiFive CLINT
// driver (QEMU virt implements the same block), the console an NS16550A.
// It supplies the runtime/goos hooks that belong to the SoC (Nanotime,
// RamStart); the board package (kernel/board/qemuvirt) adds the console
// and Hwinit1. Addresses are QEMU 7.2's (hw/riscv/virt.c, and
// boards/qemu-virt.dts).
package qemuvirt

import (
	_ "unsafe" // go:linkname

	"copslab/kernel/drivers/ns16550"

	"github.com/usbarmory/tamago/riscv64"
	"github.com/usbarmory/tamago/soc/sifive/clint"
)

// Memory map.
const (
	CLINT_BASE = 0x2000000
	PLIC_BASE  = 0xc000000
	UART0_BASE = 0x10000000
	RAM_START  = 0x80000000

	// RTCCLK is the CLINT's mtime frequency (timebase-frequency).
	RTCCLK = 10000000
)

// Peripherals.
var (
	RV64  = &riscv64.CPU{}
	CLINT = &clint.CLINT{Base: CLINT_BASE, RTCCLK: RTCCLK}
	UART0 = &ns16550.UART{Base: UART0_BASE}
)

//go:linkname ramStart runtime/goos.RamStart
var ramStart uint = RAM_START

// Init initialises the CPU (TamaGo's riscv64 package).
func Init() {
	RV64.Init()
}

//go:linkname nanotime runtime/goos.Nanotime
func nanotime() int64 {
	return CLINT.Nanotime()
}
