//go:build !riscv64

// Package cabi calls C functions (the psABI) from Go user programs.
package cabi

// Call exists on riscv64 only; elsewhere programs build (and vet) but
// have no vDSO to call.
func Call(fn, a0, a1 uintptr) (r, clobbered uintptr) { return ^uintptr(0), 0 }
