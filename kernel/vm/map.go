package vm

import "fmt"

// created records a table allocated by the current Map call and the PTE
// that points to it, so a failed Map can take it back.
type created struct{ parentPTE, table uint64 }

// Map maps [va, va+size) to [pa, pa+size) with 4 KiB pages and permission
// perm (V is added). va, pa and size must be page-aligned; va's range must
// be canonical; perm must contain R or X and may not have W without R; no
// page in the range may be mapped already. On error nothing is changed.
func (pt *PageTable) Map(va, pa, size uint64, perm Perm) error {
	if err := pt.checkMap(va, pa, size, perm); err != nil {
		return err
	}
	for off := uint64(0); off < size; off += PageSize {
		if s := pt.slot(va + off); s != 0 && pteValid(pt.mem.Load(s)) {
			return fmt.Errorf("vm: map %#x: page already mapped", va+off)
		}
	}
	var made []created
	for off := uint64(0); off < size; off += PageSize {
		s, err := pt.slotAlloc(va+off, &made)
		if err != nil {
			pt.undoMap(va, off, made)
			return fmt.Errorf("vm: map [%#x, %#x): %w", va, va+size, err)
		}
		pt.mem.Store(s, leafPTE(pa+off, perm))
	}
	return nil
}

// checkMap validates Map's arguments without looking at the table.
func (pt *PageTable) checkMap(va, pa, size uint64, perm Perm) error {
	if pt.root == 0 {
		return errDestroyed
	}
	if err := checkRange(va, size); err != nil {
		return err
	}
	switch {
	case pa%PageSize != 0:
		return fmt.Errorf("vm: physical address %#x not %d-byte aligned", pa, PageSize)
	case pa+size < pa || pa+size > MaxPA:
		return fmt.Errorf("vm: physical range %#x+%#x beyond the 56-bit Sv39 limit", pa, size)
	case perm&^permMask != 0:
		return fmt.Errorf("vm: permission %#x has bits outside RWXUGAD", uint64(perm))
	case perm&(R|X) == 0:
		return fmt.Errorf("vm: permission %s has neither R nor X (not a leaf)", perm)
	case perm&(R|W) == W:
		return fmt.Errorf("vm: permission %s: W without R is reserved", perm)
	}
	return nil
}

// slotAlloc is slot that creates missing intermediate tables, recording
// them in made.
func (pt *PageTable) slotAlloc(va uint64, made *[]created) (uint64, error) {
	table := pt.root
	for level := levels - 1; level > 0; level-- {
		at := table + 8*vpn(va, level)
		pte := pt.mem.Load(at)
		if pteValid(pte) && pteLeaf(pte) {
			return 0, fmt.Errorf("superpage at %#x in the way", va)
		}
		if !pteValid(pte) {
			next, err := pt.newTable()
			if err != nil {
				return 0, err
			}
			pte = tablePTE(next)
			pt.mem.Store(at, pte)
			*made = append(*made, created{parentPTE: at, table: next})
		}
		table = ptePA(pte)
	}
	return table + 8*vpn(va, 0), nil
}

// undoMap clears the first n bytes' leaves of a failed Map and frees the
// tables it created, newest first.
func (pt *PageTable) undoMap(va, n uint64, made []created) {
	for off := uint64(0); off < n; off += PageSize {
		pt.mem.Store(pt.slot(va+off), 0)
	}
	for i := len(made) - 1; i >= 0; i-- {
		pt.mem.Store(made[i].parentPTE, 0)
		_ = pt.frames.Free(made[i].table) // it came from Alloc a moment ago
	}
}

// Unmap removes the 4 KiB mappings of [va, va+size). Every page must be
// mapped, else nothing changes. Intermediate tables that become empty are
// freed (so an address space that maps and unmaps returns to one root
// frame); the mapped pages themselves are the caller's to free.
func (pt *PageTable) Unmap(va, size uint64) error {
	if pt.root == 0 {
		return errDestroyed
	}
	if err := checkRange(va, size); err != nil {
		return err
	}
	for off := uint64(0); off < size; off += PageSize {
		if s := pt.slot(va + off); s == 0 || !pteValid(pt.mem.Load(s)) {
			return fmt.Errorf("vm: unmap %#x: page not mapped", va+off)
		}
	}
	for off := uint64(0); off < size; off += PageSize {
		pt.mem.Store(pt.slot(va+off), 0)
	}
	return pt.pruneRange(va, size)
}

// pruneRange frees the level-0 and then level-1 tables under
// [va, va+size) that hold no valid entry any more.
func (pt *PageTable) pruneRange(va, size uint64) error {
	last := va + size - 1
	for level := 0; level < levels-1; level++ {
		span := uint64(1) << (pageShift + vpnBits*(level+1)) // bytes one such table maps
		for a := va &^ (span - 1); ; a += span {
			if err := pt.pruneTable(a, level); err != nil {
				return err
			}
			if last-a < span { // a+span is past the range (or wraps)
				break
			}
		}
	}
	return nil
}

// pruneTable frees the table at level that maps va, if it exists and is
// empty, and clears the entry pointing to it.
func (pt *PageTable) pruneTable(va uint64, level int) error {
	parent := pt.root
	for l := levels - 1; l > level+1; l-- {
		pte := pt.mem.Load(parent + 8*vpn(va, l))
		if !pteValid(pte) || pteLeaf(pte) {
			return nil
		}
		parent = ptePA(pte)
	}
	at := parent + 8*vpn(va, level+1)
	pte := pt.mem.Load(at)
	if !pteValid(pte) || pteLeaf(pte) {
		return nil
	}
	table := ptePA(pte)
	for i := uint64(0); i < entries; i++ {
		if pteValid(pt.mem.Load(table + 8*i)) {
			return nil
		}
	}
	pt.mem.Store(at, 0)
	if err := pt.frames.Free(table); err != nil {
		return fmt.Errorf("vm: freeing empty table %#x: %w", table, err)
	}
	return nil
}
