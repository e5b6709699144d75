//go:build copslab

package runtime

// Stacks used before and outside Go's own (entry_riscv64.s).
const (
	bmBootStackSize = 128 << 10 // boot stack; rt0_go makes its top 64 KiB m0's g0 stack
	bmTrapStackSize = 32 << 10  // trap handler stack (mscratch); bottom 2 KiB for nested traps
)

var (
	bmBootStack [bmBootStackSize]byte
	bmTrapStack [bmTrapStackSize]byte
)
