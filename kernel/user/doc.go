// Package user holds the test programs that run as user processes on the
// copslab kernel. Each subdirectory is an ordinary Go main package
// built with the stock toolchain for GOOS=linux GOARCH=riscv64
// CGO_ENABLED=0; the kernel must provide the Linux system calls they make.
//
// This package itself only carries the host test (user_test.go): it builds
// every program for linux/riscv64 and runs it under qemu-user
// (qemu-riscv64) to prove it is a correct Linux program before the kernel
// runs it, and records the system calls each one makes (README.md).
package user
