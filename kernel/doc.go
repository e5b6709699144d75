// Package kernel holds the host-side tests that build the bare-metal
// copslab kernel and boot it in QEMU (boot_test.go, run_test.go,
// process_test.go, ...). The kernel itself lives in the subdirectories:
//
//	build/, cmd/mkkernel/  host: overlay generation, go build, boot-stub post-link step; `make kernel`
//	rt/, goos/             files added to package runtime (entry, traps, system calls, memory, timer)
//	board/, soc/, drivers/ board wiring, SoC addresses and device drivers
//	kmain/                 the kernel's main package (device tree, modes, self-tests, run loop)
//	proc/                  user processes: address spaces, threads and the scheduling seam, system calls
//	ktrace/                the trace ring of thread transitions
//	fdt/, kalloc/, vm/, elf/, ustack/, uabi/  pure Go building blocks, tested on the host
//	uprog/, user/          built-in hand-encoded programs; Go user programs
//	gdbtest/               gdb against the kernel
//
// See README.md in this directory.
package kernel
