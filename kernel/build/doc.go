// Package build turns the kernel's Go sources into a bootable RISC-V ELF
// with the stock Go toolchain.
//
// The kernel is an ordinary Go program built for linux/riscv64. Three
// things make it run on bare metal instead of under Linux:
//
//  1. Own runtime files. Everything in kernel/rt (boot entry, trap vector,
//     emulation of the Linux system calls the runtime makes, timer, UART,
//     PLIC, power-off) is added to package runtime through go build's
//     -overlay flag, under the names $GOROOT/src/runtime/copslab_*.
//  2. A few scripted edits of upstream runtime files (edits.go), generated
//     at build time from the machine's own GOROOT. Each edit must match an
//     exact number of times; otherwise the build stops and names the Go
//     version, file and edit, because the runtime no longer looks the way
//     the kernel expects. Copies of upstream files are never committed.
//  3. A post-link step (postlink.go). QEMU 7.2's `-bios none -kernel`
//     starts a hart at the lowest loaded address, not at e_entry, and
//     Go's linker puts the ELF header there. We add a tiny PT_LOAD segment
//     below the image whose four instructions jump to the entry symbol.
//
// Generated files live in a work directory next to the output (under
// out/, which git ignores).
package build
