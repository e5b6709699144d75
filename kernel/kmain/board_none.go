//go:build copslab && board_none

package main

import "io"

// board_none builds the kernel's main package without a board, for go
// vet only (TestVetKernelMain): a board imports TamaGo's packages, which
// import runtime/goos, a package that exists only in the kernel build's
// overlay — and go vet cannot analyse a package whose directory exists
// only there. Such a build does not link (no runtime/goos hooks).
const bootHart = 0

func debugUART() io.ReadWriter { return nil }

func debugUARTBase() (uintptr, uint32) { return 0, 0 }
