//go:build copslab && board_sifive_u

package main

// The board: QEMU sifive_u (build with -board sifive_u;
// boards/qemu-sifive_u.yaml), TamaGo's board package over its FU540 SoC
// and RISC-V CPU packages. Importing it supplies the runtime/goos hooks.
import _ "github.com/usbarmory/tamago/board/qemu/sifive_u"

// bootHart is the hart the kernel runs on (kernel/rt's bmBootHart): the
// first U54; hart 0 is the E51 monitor core without an FPU.
const bootHart = 1
