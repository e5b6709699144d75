//go:build copslab

// Package rocket is the SoC layer of a Rocket-chip system with the N
// extension (user-level interrupts), as in the COPS paper's FPGA runs, in
// TamaGo's CPU → SoC → board layering: TamaGo's riscv64 CPU package, its
// SiFive CLINT and UART drivers (Rocket-chip's CLINT and the sifive-blocks
// UART are the blocks those drivers were written for). The memory map is
// the one of boards/rocket-axu15eg.yaml and .dts; a host test
// (boards/hardware_test.go) compares the three.
//
// Nothing here has run on the board: there is none on the build machine.
package rocket

import (
	_ "unsafe" // go:linkname

	"github.com/usbarmory/tamago/riscv64"
	"github.com/usbarmory/tamago/soc/sifive/clint"
	"github.com/usbarmory/tamago/soc/sifive/uart"
)

// Memory map.
const (
	BOOTROM_BASE = 0x10000
	CLINT_BASE   = 0x2000000
	PLIC_BASE    = 0xc000000
	UART0_BASE   = 0x10020000 // console
	UART1_BASE   = 0x10021000 // the kernel's gdb stub
	RAM_START    = 0x80000000

	// RTCCLK is the CLINT's mtime frequency (timebase-frequency).
	RTCCLK = 1000000
)

// UINTRBackend names the user-interrupt back end this SoC needs: the
// N extension's user trap CSRs (boards' hardware.uintr).
const UINTRBackend = "n-extension"

// Peripherals.
var (
	RV64  = &riscv64.CPU{}
	CLINT = &clint.CLINT{Base: CLINT_BASE, RTCCLK: RTCCLK}
	UART0 = &uart.UART{Index: 1, Base: UART0_BASE}
	UART1 = &uart.UART{Index: 2, Base: UART1_BASE}
)

//go:linkname ramStart runtime/goos.RamStart
var ramStart uint = RAM_START

// Init initialises the CPU and the UARTs.
func Init() {
	RV64.Init()
	UART0.Init()
	UART1.Init()
}

//go:linkname nanotime runtime/goos.Nanotime
func nanotime() int64 {
	return CLINT.Nanotime()
}
