//go:build riscv64

package main

// cycles reads the cycle CSR (rdcycle); the kernel must allow user reads
// (mcounteren.CY, scounteren.CY). Defined in counters_riscv64.s.
func cycles() uint64

// instret reads the instret CSR (rdinstret): instructions retired by this
// hart in every mode, the kernel's included. Defined in counters_riscv64.s.
func instret() uint64
