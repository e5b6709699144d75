//go:build riscv64

// Package cabi calls C functions (the psABI) from Go user programs: the
// vDSO's C entry points, as a C library would, checking that the callee
// kept the C callee-saved registers.
package cabi

// Call calls the C function fn(a0, a1) and reports which callee-saved
// registers it failed to preserve (bit i: s0, s1, s2..s10 in order).
// Defined in cabi_riscv64.s.
func Call(fn, a0, a1 uintptr) (r, clobbered uintptr)
