package gdbos

import (
	"encoding/binary"
	"fmt"
	"testing"
)

// pageTables is physical memory holding hand-built Sv39 tables.
type pageTables map[uint64]uint64 // address of an 8-byte PTE → PTE

func (m pageTables) ReadMemory(addr uint64, n int) ([]byte, error) {
	pte, ok := m[addr]
	if !ok || n != 8 {
		return nil, fmt.Errorf("read %#x,%d outside the tables", addr, n)
	}
	return binary.LittleEndian.AppendUint64(nil, pte), nil
}

const (
	v, r, w, x = 1, 2, 4, 8
)

func pte(pa uint64, flags uint64) uint64 { return pa/pageSize<<10 | flags }

func TestSv39Translate(t *testing.T) {
	root, mid, leaf := uint64(0x8100_0000), uint64(0x8100_1000), uint64(0x8100_2000)
	m := pageTables{
		// va 0x1000 (vpn 0,0,1) → pa 0x8200_0000 through three levels
		root + 0*8: pte(mid, v),
		mid + 0*8:  pte(leaf, v),
		leaf + 1*8: pte(0x8200_0000, v|r|w),
		// va 0x4000_0000 (vpn2 = 1): a 1 GiB superpage at 0xc000_0000
		root + 1*8: pte(0xc000_0000, v|r|x),
		// va 0x2000 (vpn0 = 2): not valid
		leaf + 2*8: 0,
	}
	satp := uint64(8)<<60 | root/pageSize
	for _, c := range []struct {
		va, pa uint64
		ok     bool
	}{
		{0x1000, 0x8200_0000, true},
		{0x1abc, 0x8200_0abc, true},
		{0x4000_0000 + 0x12345, 0xc001_2345, true},
		{0x2000, 0, false},
		{0x8000_0000, 0, false}, // vpn2 = 2: no entry in the tables
	} {
		pa, err := translate(m, satp, c.va)
		if (err == nil) != c.ok || c.ok && pa != c.pa {
			t.Errorf("va %#x: pa %#x, %v; want %#x ok=%v", c.va, pa, err, c.pa, c.ok)
		}
	}
	if _, err := translate(m, root/pageSize, 0x1000); err == nil {
		t.Error("bare satp (no paging) accepted as Sv39")
	}
}
