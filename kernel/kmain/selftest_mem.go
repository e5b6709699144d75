//go:build copslab

package main

import (
	"fmt"

	"copslab/kernel/kalloc"
	"copslab/kernel/vm"
)

// checkKalloc allocates frames, writes a pattern through physical memory
// and reads it back, then frees them all.
func checkKalloc(m *machine) (string, error) {
	a := m.frames
	if a == nil {
		return "", fmt.Errorf("no frame pool")
	}
	free0 := a.FreeCount()
	const n = 256
	got := map[uint64]bool{}
	var frames []uint64
	for i := 0; i < n; i++ {
		pa, ok := a.Alloc()
		if !ok {
			return "", fmt.Errorf("Alloc %d failed with %d free", i, a.FreeCount())
		}
		if pa%kalloc.PageSize != 0 || pa < a.Base() || got[pa] {
			return "", fmt.Errorf("bad frame %#x", pa)
		}
		got[pa] = true
		frames = append(frames, pa)
		phys.Store(pa, pa^0x5a5a5a5a)
		phys.Store(pa+kalloc.PageSize-8, ^pa)
	}
	for _, pa := range frames {
		if phys.Load(pa) != pa^0x5a5a5a5a || phys.Load(pa+kalloc.PageSize-8) != ^pa {
			return "", fmt.Errorf("frame %#x lost its contents", pa)
		}
		if err := a.Free(pa); err != nil {
			return "", err
		}
	}
	if a.FreeCount() != free0 {
		return "", fmt.Errorf("free count %d after freeing, want %d", a.FreeCount(), free0)
	}
	if err := a.Free(frames[0]); err == nil {
		return "", fmt.Errorf("double free of %#x not detected", frames[0])
	}
	return fmt.Sprintf("%d frames allocated, written, verified, freed; pool %d MiB at %#x",
		n, uint64(a.Total())*kalloc.PageSize>>20, a.Base()), nil
}

// checkSv39 builds a page table in real frames, maps user pages and
// checks translation by walking the tables in memory.
func checkSv39(m *machine) (string, error) {
	a := m.frames
	if a == nil {
		return "", fmt.Errorf("no frame pool")
	}
	free0 := a.FreeCount()
	pt, err := vm.New(phys, a)
	if err != nil {
		return "", err
	}
	const va, pages = 0x1000_0000, 8
	var data [pages]uint64
	for i := range data {
		pa, ok := a.Alloc()
		if !ok {
			return "", fmt.Errorf("no frame for page %d", i)
		}
		data[i] = pa
		if err := pt.Map(va+uint64(i)*kalloc.PageSize, pa, kalloc.PageSize, vm.R|vm.W|vm.U); err != nil {
			return "", err
		}
	}
	for i, want := range data {
		v := va + uint64(i)*kalloc.PageSize + 0x123
		pa, perm, ok := pt.Translate(v)
		if !ok || pa != want+0x123 || perm&(vm.R|vm.W|vm.U) != vm.R|vm.W|vm.U {
			return "", fmt.Errorf("Translate(%#x) = %#x %v %v, want %#x", v, pa, perm, ok, want+0x123)
		}
	}
	if _, _, ok := pt.Translate(va + pages*kalloc.PageSize); ok {
		return "", fmt.Errorf("unmapped page translates")
	}
	tables := free0 - pages - a.FreeCount()
	if err := pt.Unmap(va, pages*kalloc.PageSize); err != nil {
		return "", err
	}
	if _, _, ok := pt.Translate(va); ok {
		return "", fmt.Errorf("page still translates after Unmap")
	}
	satp := pt.SATP(1)
	if err := pt.Destroy(); err != nil {
		return "", err
	}
	for _, pa := range data {
		if err := a.Free(pa); err != nil {
			return "", err
		}
	}
	if a.FreeCount() != free0 {
		return "", fmt.Errorf("leaked %d frames", free0-a.FreeCount())
	}
	return fmt.Sprintf("mapped %d pages at %#x in %d table frames, translated, unmapped, destroyed; satp %#x",
		pages, uint64(va), tables, satp), nil
}
