//go:build riscv64

package main

// callC calls the C function fn(a0, a1) and reports which callee-saved
// registers it failed to preserve. Defined in cabi_riscv64.s.
func callC(fn, a0, a1 uintptr) (r, clobbered uintptr)
