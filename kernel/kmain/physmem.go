//go:build copslab

package main

import (
	"unsafe"

	"copslab/kernel/vm"
)

// physMem is vm.Mem for the kernel: without paging in machine mode a
// physical address is a pointer.
type physMem struct{}

var phys vm.Mem = physMem{}

func (physMem) Load(pa uint64) uint64 { return *(*uint64)(unsafe.Pointer(uintptr(pa))) }

func (physMem) Store(pa, v uint64) { *(*uint64)(unsafe.Pointer(uintptr(pa))) = v }
