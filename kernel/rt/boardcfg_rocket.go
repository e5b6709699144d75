//go:build copslab && board_rocket

package runtime

// Rocket-chip with the N extension (boards/rocket-axu15eg.yaml): every
// hart has the FPU; hart 0 runs the kernel. No test finisher and no
// semihosting host: power-off parks the hart.
const bmBootHart = 0

var bmBoardDefault = bmBoardConfig{
	uart:     0x10020000,
	uartKind: bmUartSiFive,
	clint:    0x2000000,
	timebase: 1000000,
}
