package vm

import "strings"

// Sv39 page table entry, RISC-V privileged spec v1.12 §4.4.1 (Figure 4.21):
//
//	63    54 53        28 27        19 18        10 9   8 7 6 5 4 3 2 1 0
//	reserved |  PPN[2]    |   PPN[1]   |   PPN[0]   | RSW |D|A|G|U|X|W|R|V
//
// V marks the entry valid. R=W=X=0 makes it a pointer to the next-level
// table; otherwise it is a leaf. W without R is reserved (§4.3.1, Table 4.5).
const (
	pteV = 1 << 0 // valid

	pteFlagBits = 10 // PPN starts at bit 10
	ppnBits     = 44 // PPN[2..0] = 26 + 9 + 9 bits
	ppnMask     = 1<<ppnBits - 1
)

// Perm is the permission and status part of a leaf PTE; its bits sit
// where the PTE has them (R = bit 1 ... D = bit 7).
type Perm uint64

// Leaf PTE bits (privileged spec §4.3.1 / §4.4.1).
const (
	R Perm = 1 << 1 // readable
	W Perm = 1 << 2 // writable (requires R)
	X Perm = 1 << 3 // executable
	U Perm = 1 << 4 // accessible to user mode
	G Perm = 1 << 5 // global mapping (all address spaces)
	A Perm = 1 << 6 // accessed
	D Perm = 1 << 7 // dirty

	permMask = R | W | X | U | G | A | D
)

// String writes the bits as in `rwxugad`, a '-' for each clear bit.
func (p Perm) String() string {
	var b strings.Builder
	for i, c := range "rwxugad" {
		if p&(R<<i) != 0 {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	if rest := p &^ permMask; rest != 0 {
		b.WriteString("+?")
	}
	return b.String()
}

// leafPTE builds a valid leaf entry mapping physical page pa.
func leafPTE(pa uint64, p Perm) uint64 {
	return (pa>>pageShift)<<pteFlagBits | uint64(p) | pteV
}

// tablePTE builds a valid entry pointing to the next-level table at pa.
func tablePTE(pa uint64) uint64 { return (pa>>pageShift)<<pteFlagBits | pteV }

// ptePA extracts the physical address an entry points to.
func ptePA(pte uint64) uint64 { return (pte >> pteFlagBits & ppnMask) << pageShift }

func pteValid(pte uint64) bool { return pte&pteV != 0 }

// pteLeaf reports whether a valid entry is a leaf (any of R, W, X set).
func pteLeaf(pte uint64) bool { return Perm(pte)&(R|W|X) != 0 }

func ptePerm(pte uint64) Perm { return Perm(pte) & permMask }
