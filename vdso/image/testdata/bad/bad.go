// Package bad holds functions the vDSO's check must refuse; the image
// tests compile it as if it were part of the image.
package bad

var counter uint64

// Index has an unmasked index: the compiler adds a call to
// runtime.panicBounds.
//
//go:nosplit
func Index(a *[8]uint64, i int) uint64 { return a[i] }

// Global reads a package variable: an AUIPC to data outside the image.
//
//go:nosplit
func Global() uint64 { return counter }

// Masked is fine: the index is masked to the array's length.
//
//go:nosplit
func Masked(a *[8]uint64, i int) uint64 { return a[i&7] }
