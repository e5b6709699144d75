package vm

// slot is the physical address of the level-0 PTE for va, or 0 when a
// table on the way is missing. It never allocates. A superpage leaf on
// the way also gives 0 (Map never creates those).
func (pt *PageTable) slot(va uint64) uint64 {
	table := pt.root
	for level := levels - 1; level > 0; level-- {
		pte := pt.mem.Load(table + 8*vpn(va, level))
		if !pteValid(pte) || pteLeaf(pte) {
			return 0
		}
		table = ptePA(pte)
	}
	return table + 8*vpn(va, 0)
}

// Translate walks the table like the MMU (without permission checks) and
// returns the physical address va maps to and the leaf's permission bits.
// ok is false for unmapped or non-canonical addresses and for reserved
// encodings (W without R, a pointer entry at the last level).
func (pt *PageTable) Translate(va uint64) (pa uint64, perm Perm, ok bool) {
	if pt.root == 0 || !Canonical(va) {
		return 0, 0, false
	}
	table := pt.root
	for level := levels - 1; level >= 0; level-- {
		pte := pt.mem.Load(table + 8*vpn(va, level))
		if !pteValid(pte) {
			return 0, 0, false
		}
		if !pteLeaf(pte) {
			table = ptePA(pte)
			continue
		}
		p := ptePerm(pte)
		if p&(R|W) == W {
			return 0, 0, false
		}
		// A leaf above level 0 maps 2^(12+9*level) bytes; its low PPN
		// fields must be zero (misaligned superpage, §4.3.2 step 6).
		span := uint64(1) << (pageShift + vpnBits*level)
		base := ptePA(pte)
		if base%span != 0 {
			return 0, 0, false
		}
		return base + va%span, p, true
	}
	return 0, 0, false
}
