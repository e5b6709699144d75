//go:build copslab && board_sifive_u

package main

// The board: QEMU sifive_u (build with -board sifive_u;
// boards/qemu-sifive_u.yaml), TamaGo's board package over its FU540 SoC
// and RISC-V CPU packages. Importing it supplies the runtime/goos hooks.
import (
	"io"

	_ "github.com/usbarmory/tamago/board/qemu/sifive_u"
	"github.com/usbarmory/tamago/soc/sifive/fu540"
)

// bootHart is the hart the kernel runs on (kernel/rt's bmBootHart): the
// first U54; hart 0 is the E51 monitor core without an FPU.
const bootHart = 1

// debugUART is the gdb stub's line: the FU540's second UART, through
// TamaGo's SiFive UART driver.
func debugUART() io.ReadWriter {
	fu540.UART1.Init()
	return uartLine{fu540.UART1}
}

// debugUARTBase is that UART's register block and PLIC source
// (boards/qemu-sifive_u.dts: serial@10011000, interrupts = <5>); the
// kernel-level stub in kernel/rt drives it directly, in trap context.
func debugUARTBase() (uintptr, uint32) { return uintptr(fu540.UART1.Base), 5 }
