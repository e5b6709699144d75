// Package testprog is a tiny bare-metal RISC-V program that the gdbstub
// tests run under QEMU until the kernel itself can serve as the target.
//
// Built with GOOS=linux GOARCH=riscv64 and linked with
//
//	-ldflags '-T 0x80201000 -E main.entry'
//
// the entry point main.entry (prog_riscv64.s) never touches the Go runtime:
// it loops forever calling main.tick, which increments the 64-bit word
// main.counter. A test can therefore break on main.tick, watch main.counter
// change between continues, and single-step through a handful of known
// instructions. The Go runtime is linked in but never runs.
//
// On other architectures the package is an empty program so that
// `go build ./...` and `go vet ./...` succeed on the host.
package main

func main() {}
