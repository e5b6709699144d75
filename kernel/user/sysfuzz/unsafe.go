package main

import "unsafe"

// uintptrOf returns the address of b as a system call argument. The memory
// comes from mmap, outside the Go heap, so the address stays valid.
func uintptrOf(b *byte) uintptr { return uintptr(unsafe.Pointer(b)) }
