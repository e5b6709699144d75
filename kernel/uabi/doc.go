// Package uabi holds the constants of the Linux user ABI on riscv64 that the
// kernel needs to run ordinary static Go programs (GOOS=linux GOARCH=riscv64):
// system call numbers, errno values, flag words, signal numbers, the auxiliary
// vector keys and the byte layout of the riscv64 signal frame.
//
// Every block names its source (a Linux uapi header or man page). The values
// are written here by hand; uabi_test.go checks them against the Go
// toolchain's own riscv64 definitions ($GOROOT/src/syscall and
// $GOROOT/src/runtime/defs_linux_riscv64.go, and golang.org/x/sys/unix when it
// is in the module cache), read as source text so the test runs on any host.
//
// Besides constants the package has lookups by system call name and a
// codec for the signal frame (frame.go: Sigframe.Marshal/Unmarshal), all
// pure Go without system calls, usable from the kernel and host tools.
package uabi
