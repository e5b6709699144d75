//go:build copslab

package main

import "fmt"

type crashRecord struct {
	pad   [2]uint64
	value uint64
}

// crashTarget stays nil; crash dereferences it.
var crashTarget *crashRecord

// crash faults on purpose from a goroutine: the load from address 16 is
// a load access fault (mcause 5) on QEMU virt. The trap handler prints
// mcause/mepc/mtval and the registers, then turns the fault into a Go
// panic, whose report carries the goroutine's stack; the kernel exits
// with status 2.
func crash() {
	done := make(chan uint64)
	go func() {
		fmt.Println("copslab: panic mode: dereferencing a nil pointer")
		done <- crashTarget.value
	}()
	fmt.Println("copslab: unexpected value", <-done)
}
