//go:build copslab

// This directory is not an importable package. kernel/build adds every
// .go and .s file here to the standard library's package runtime (through
// go build -overlay, as $GOROOT/src/runtime/copslab_<name>) when it builds
// the kernel for linux/riscv64 with the build tag "copslab".
//
// Together they are the bare-metal layer under an otherwise unchanged Go
// runtime: the runtime still believes it runs on Linux and makes Linux
// system calls with ecall; in machine mode every ecall traps to our vector
// (trap_riscv64.s) and the Linux calls are emulated (syscall.go) on top of
// the QEMU virt devices (CLINT timer, ns16550 UART, PLIC, sifive_test).
//
// Names: everything here starts with "bm" (bare metal) to stay clear of
// the runtime's own identifiers, except the functions the kernel's main
// package reaches through //go:linkname, which start with "copslab"
// (api.go). Code that can run in trap context is //go:nosplit (the trap
// stack is not a Go stack, so a stack-growth check there would be fatal)
// and never writes heap pointers (no write barriers in trap context).
package runtime

const (
	// copslabBareMetal turns on the wasm-style single-thread conditions
	// patched into proc.go and debug.go (kernel/build/edits.go).
	copslabBareMetal = true

	// copslabHeapAddrBits replaces heapAddrBits (malloc.go). 36 bits
	// (64 GiB) covers the physical RAM of any QEMU virt machine we boot
	// (RAM starts at 2 GiB) and is about the smallest value the page
	// allocator's constants allow (pallocChunksL1Bits = 13 needs >= 35).
	// At 48 bits the runtime reserves ~1.2 GB of address space at start.
	copslabHeapAddrBits = 36

	// copslabLogHeapArenaBytes replaces logHeapArenaBytes (malloc.go):
	// 4 MiB heap arenas instead of 64 MiB, as on 64-bit Windows, so the
	// heap grows (and aligns) in steps that suit a small machine.
	copslabLogHeapArenaBytes = 22
)
