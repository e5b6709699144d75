// Package uprog builds tiny RISC-V user programs from hand-encoded
// instructions, wrapped in a minimal static ELF executable. The kernel
// carries them built in, so user mode can be tested without a toolchain
// for the guest: each exercises one path (a system call, a bad pointer,
// a fault, a trap loop) and exits with a status a test can check.
package uprog
