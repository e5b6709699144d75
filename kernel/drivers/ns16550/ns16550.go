//go:build copslab

// Package ns16550 drives the transmitter of an NS16550A-compatible UART
// (QEMU virt's console) for the kernel's board packages; TamaGo has no
// driver for it. The receive side, which runs in trap context, is part
// of the runtime layer (kernel/rt/uart.go).
package ns16550

// Register offsets (1-byte stride; TI PC16550D datasheet, Table 2).
const (
	THR = 0 // transmit holding (write)
	LSR = 5 // line status

	lsrTHRE = 1 << 5 // transmit holding register empty
)

// UART is one controller.
type UART struct {
	Base uint64 // register block
}

// Tx transmits one byte, waiting until the transmitter has room.
func (u *UART) Tx(c byte) {
	for load8(u.Base+LSR)&lsrTHRE == 0 {
	}
	store8(u.Base+THR, c)
}

// Write transmits buf.
func (u *UART) Write(buf []byte) (int, error) {
	for _, c := range buf {
		u.Tx(c)
	}
	return len(buf), nil
}

// load8 and store8 are single byte accesses the compiler cannot merge,
// hoist or drop (mmio_riscv64.s).
func load8(addr uint64) byte
func store8(addr uint64, v byte)
