//go:build riscv64

// Package hpm reads the hart's performance counters from user mode
// (rdcycle, rdinstret), for the benchmark programs. The kernel must let
// U-mode read them (mcounteren.CY/IR, scounteren).
package hpm

// Cycles reads the cycle CSR. Defined in hpm_riscv64.s.
func Cycles() uint64

// Instret reads the instret CSR: instructions retired by this hart in
// every mode, the kernel's included. Defined in hpm_riscv64.s.
func Instret() uint64

// Time reads the time CSR (rdtime): ticks of the machine timer at the
// timebase frequency. Defined in hpm_riscv64.s.
func Time() uint64
