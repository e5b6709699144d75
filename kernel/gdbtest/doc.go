// Package gdbtest holds end-to-end tests of the kernel's debug path: it
// builds out/kernel.elf's twin in a temporary directory, boots it in QEMU
// the way `make debug` does (halted, gdb stub on a free loopback port,
// command line from boards/qemu-virt.yaml through copslab/boards), and
// drives a real gdb-multiarch in batch mode against it. BenchmarkBoot
// measures boot time (QEMU start → banner) and the kernel image size.
//
// The package has no non-test code; see README.md for commands and
// measured numbers.
package gdbtest
