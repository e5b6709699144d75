//go:build copslab && !board_sifive_u && !board_rocket

package runtime

// QEMU virt (boards/qemu-virt.yaml): every hart starts at the image;
// hart 0 runs the kernel.
const bmBootHart = 0

var bmBoardDefault = bmBoardConfig{
	uart:     0x10000000,
	uartKind: bmUartNS16550,
	clint:    0x2000000,
	test:     0x100000,
	timebase: 10000000,
}
