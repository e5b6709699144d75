package vm

import "fmt"

// Sv39 virtual address, privileged spec §4.4.1 (Figure 4.19): three 9-bit
// VPN fields above a 12-bit page offset; bits 63..39 must copy bit 38, so
// the valid addresses are [0, 2^38) and [2^64-2^38, 2^64).
const (
	pageShift = 12
	PageSize  = 1 << pageShift
	levels    = 3
	vpnBits   = 9
	vaBits    = 39
	entries   = 1 << vpnBits // PTEs per table (512 × 8 bytes = one page)

	// MaxPA is one past the highest physical address a PTE can hold (56 bits).
	MaxPA = 1 << (ppnBits + pageShift)
)

// vpn returns the level's index (2 = root) into its table for va.
func vpn(va uint64, level int) uint64 {
	return va >> (pageShift + vpnBits*level) & (entries - 1)
}

// Canonical reports whether va is a valid Sv39 address.
func Canonical(va uint64) bool {
	top := int64(va) >> (vaBits - 1) // sign-extend from bit 38
	return top == 0 || top == -1
}

// checkRange validates a page-aligned, non-empty range of canonical
// addresses that does not wrap or cross the non-canonical hole.
func checkRange(va, size uint64) error {
	switch {
	case size == 0:
		return fmt.Errorf("vm: empty range at %#x", va)
	case va%PageSize != 0 || size%PageSize != 0:
		return fmt.Errorf("vm: range %#x+%#x not %d-byte aligned", va, size, PageSize)
	case va+size-1 < va:
		return fmt.Errorf("vm: range %#x+%#x wraps around", va, size)
	case !Canonical(va) || !Canonical(va+size-1) || (int64(va) >= 0) != (int64(va+size-1) >= 0):
		return fmt.Errorf("vm: range [%#x, %#x) is not canonical Sv39 (bits 63..39 must copy bit 38)", va, va+size)
	}
	return nil
}
