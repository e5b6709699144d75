// Package vdso is the code and data every user process gets from the
// kernel without a system call, as Linux's vDSO: one ELF image (built
// by package copslab/vdso/image when the kernel is built) mapped
// read+execute into every process and announced with AT_SYSINFO_EHDR,
// and one read-only data page after it that the kernel keeps filled.
//
// This package holds the parts that are compiled into the image — the
// data page's layout (data.go) and the clock functions behind
// __vdso_clock_gettime and __vdso_gettimeofday (clock.go) — so that the
// kernel and host tests use the very same code. The scheduler's hot
// path comes from package copslab/sched. Every function the image
// exports follows the vDSO rules (nosplit, masked indexes, no globals,
// no runtime calls: see sched/vdso_rules_test.go and vdso/image); the
// image builder decodes their machine code and refuses any reference
// outside the image.
package vdso
