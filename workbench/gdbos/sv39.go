package gdbos

import (
	"encoding/binary"
	"fmt"
)

// Sv39 address translation (RISC-V privileged spec, "Sv39"), done here
// because the stub translates only with the hart's current satp, not a
// saved thread's.

const pageSize = 4096

// translate maps the user virtual address va through the page table
// that satp points to and returns the physical address.
func (t *Target) translate(satp, va uint64) (uint64, error) { return translate(t.C, satp, va) }

// physReader reads physical memory (the stub in physical memory mode).
type physReader interface {
	ReadMemory(addr uint64, n int) ([]byte, error)
}

func translate(m physReader, satp, va uint64) (uint64, error) {
	if satp>>60 != 8 {
		return 0, fmt.Errorf("satp %#x: not Sv39", satp)
	}
	a := (satp & (1<<44 - 1)) * pageSize
	for level := 2; level >= 0; level-- {
		vpn := va >> (12 + 9*uint(level)) & 0x1ff
		b, err := m.ReadMemory(a+vpn*8, 8)
		if err != nil {
			return 0, err
		}
		pte := binary.LittleEndian.Uint64(b)
		if pte&1 == 0 {
			return 0, fmt.Errorf("address %#x not mapped in the thread's address space", va)
		}
		ppn := pte >> 10 & (1<<44 - 1)
		if pte&0xe != 0 { // R, W or X: a leaf (possibly a superpage)
			span := uint64(1) << (12 + 9*uint(level))
			return ppn*pageSize&^(span-1) | va&(span-1), nil
		}
		a = ppn * pageSize
	}
	return 0, fmt.Errorf("address %#x: page table has no leaf", va)
}
