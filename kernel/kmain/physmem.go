//go:build copslab

package main

import "copslab/kernel/vm"

// physMem is vm.Mem for the kernel: without paging in machine mode a
// physical address is directly accessible (the runtime layer does the
// loads and stores).
type physMem struct{}

// phys is the kernel's physical memory.
var phys vm.Mem = physMem{}

func (physMem) Load(pa uint64) uint64 { return rtPhysLoad64(uintptr(pa)) }

func (physMem) Store(pa, v uint64) { rtPhysStore64(uintptr(pa), v) }

// Bytes views [pa, pa+n) of physical memory (proc.Phys).
func (physMem) Bytes(pa, n uint64) []byte { return rtPhysSlice(uintptr(pa), uintptr(n)) }

// userPhys is phys as kernel/proc wants it.
var userPhys = physMem{}
