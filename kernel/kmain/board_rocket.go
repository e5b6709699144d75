//go:build copslab && board_rocket

package main

// The board: Rocket-chip with the N extension on the ALINX AXU15EG
// (build with -board rocket; boards/rocket-axu15eg.yaml). Importing the
// board package supplies the runtime/goos hooks.
import _ "copslab/kernel/board/axu15eg"

// bootHart is the hart the kernel runs on (kernel/rt's bmBootHart).
const bootHart = 0
