// Package kernel holds the host-side tests that build the bare-metal
// copslab kernel and boot it in QEMU (boot_test.go). The kernel itself
// lives in the subdirectories:
//
//	build/   host: overlay generation, go build, boot-stub post-link step
//	cmd/mkkernel/  host: `make kernel` front end of build
//	rt/      files added to package runtime (traps, syscalls, devices)
//	kmain/   the kernel's main package (device tree, modes, self-tests)
//	fdt/, kalloc/, vm/  pure Go packages used by kmain, tested on the host
//
// See README.md in this directory.
package kernel
