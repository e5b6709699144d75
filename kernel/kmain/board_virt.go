//go:build copslab && !board_sifive_u && !board_rocket && !board_none

package main

// The board: QEMU virt (kernel/build's default; boards/qemu-virt.yaml).
// Importing the board package supplies the runtime/goos hooks.
import (
	"io"

	_ "copslab/kernel/board/qemuvirt"
)

// bootHart is the hart the kernel runs on (kernel/rt's bmBootHart).
const bootHart = 0

// debugUART: QEMU virt has one UART (the console), so no gdb stub line.
func debugUART() io.ReadWriter { return nil }

func debugUARTBase() (uintptr, uint32) { return 0, 0 }
