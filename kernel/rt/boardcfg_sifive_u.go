//go:build copslab && board_sifive_u

package runtime

// QEMU sifive_u (boards/qemu-sifive_u.yaml): hart 0 is the E51 monitor
// core (no FPU, no MMU); the kernel runs on hart 1, the first U54. There
// is no test finisher: power-off is a semihosting exit.
const bmBootHart = 1

var bmBoardDefault = bmBoardConfig{
	uart:     0x10010000,
	uartKind: bmUartSiFive,
	clint:    0x2000000,
	semihost: true,
	timebase: 1000000,
}
