// Package uintr will hold user-space interrupts: the kernel's emulation on
// QEMU (which has no N extension) and a hardware back end for N-extension
// cores. The host sandbox (sched/sandbox) models the same delivery today.
// Not built yet: it follows the user-process issue.
package uintr
