package elf

import (
	"encoding/binary"
	"sort"
)

// Program header types and flags, System V gABI ch. 5 ("Program Header").
const (
	ptLoad     = 1
	ptDynamic  = 2
	ptInterp   = 3
	ptPhdr     = 6
	ptTLS      = 7
	ptGNUStack = 0x6474e551
	pfX        = 1
	pfW        = 2
	pfR        = 4
)

// Perm is a segment's access permission.
type Perm uint8

// Permission bits (the loader maps them to PTE R/W/X).
const (
	R Perm = 1 << iota
	W
	X
)

func (p Perm) String() string {
	s := []byte("---")
	if p&R != 0 {
		s[0] = 'r'
	}
	if p&W != 0 {
		s[1] = 'w'
	}
	if p&X != 0 {
		s[2] = 'x'
	}
	return string(s)
}

// Segment is one PT_LOAD entry: file bytes [FileOff, FileOff+Filesz) go to
// [Vaddr, Vaddr+Filesz); [Vaddr+Filesz, Vaddr+Memsz) is zero.
type Segment struct {
	Vaddr, Memsz    uint64
	FileOff, Filesz uint64
	Align           uint64
	Perm            Perm
}

// End is one past the segment's last byte in memory.
func (s Segment) End() uint64 { return s.Vaddr + s.Memsz }

// pageRange is the segment's memory rounded out to whole pages.
func (s Segment) pageRange() (lo, hi uint64) {
	return s.Vaddr &^ (PageSize - 1), (s.End() + PageSize - 1) &^ (PageSize - 1)
}

// phdr is a raw Elf64_Phdr.
type phdr struct {
	typ, flags                uint32
	off, vaddr, filesz, memsz uint64
	align                     uint64
}

func readPhdr(b []byte) phdr {
	le := binary.LittleEndian
	return phdr{
		typ: le.Uint32(b[0:]), flags: le.Uint32(b[4:]),
		off: le.Uint64(b[8:]), vaddr: le.Uint64(b[16:]),
		filesz: le.Uint64(b[32:]), memsz: le.Uint64(b[40:]),
		align: le.Uint64(b[48:]),
	}
}

func (p phdr) perm() Perm {
	var perm Perm
	if p.flags&pfR != 0 {
		perm |= R
	}
	if p.flags&pfW != 0 {
		perm |= W
	}
	if p.flags&pfX != 0 {
		perm |= X
	}
	return perm
}

// loadSegment validates one PT_LOAD header against a file of size n.
func loadSegment(i int, p phdr, n uint64) (Segment, error) {
	s := Segment{Vaddr: p.vaddr, Memsz: p.memsz, FileOff: p.off, Filesz: p.filesz, Align: p.align, Perm: p.perm()}
	switch {
	case p.filesz > p.memsz:
		return s, errorf("segment %d: file size %#x larger than memory size %#x", i, p.filesz, p.memsz)
	case p.off > n || p.filesz > n-p.off:
		return s, errorf("segment %d: file range [%#x, +%#x) beyond the %#x-byte file", i, p.off, p.filesz, n)
	case p.memsz == 0:
		return s, errorf("segment %d: empty (memory size 0)", i)
	case p.vaddr < PageSize:
		return s, errorf("segment %d: address %#x maps page zero (nil pointers must fault)", i, p.vaddr)
	case p.vaddr >= MaxUserAddr || p.memsz > MaxUserAddr-p.vaddr:
		return s, errorf("segment %d: [%#x, +%#x) outside the Sv39 user range [0, %#x)", i, p.vaddr, p.memsz, uint64(MaxUserAddr))
	case p.align > 1 && p.align&(p.align-1) != 0:
		return s, errorf("segment %d: alignment %#x not a power of two", i, p.align)
	case p.align > 1 && p.vaddr%p.align != p.off%p.align:
		return s, errorf("segment %d: address %#x and offset %#x disagree modulo alignment %#x", i, p.vaddr, p.off, p.align)
	case p.vaddr%PageSize != p.off%PageSize:
		return s, errorf("segment %d: address %#x and offset %#x disagree modulo the page size", i, p.vaddr, p.off)
	case s.Perm == 0:
		return s, errorf("segment %d: no permissions", i)
	}
	return s, nil
}

// checkOverlap sorts segs by address and refuses two that share a page
// (the loader maps one permission per page).
func checkOverlap(segs []Segment) error {
	sort.Slice(segs, func(i, j int) bool { return segs[i].Vaddr < segs[j].Vaddr })
	for i := 1; i < len(segs); i++ {
		_, prevHi := segs[i-1].pageRange()
		lo, _ := segs[i].pageRange()
		if lo < prevHi {
			return errorf("segments at %#x and %#x overlap (pages up to %#x and from %#x)", segs[i-1].Vaddr, segs[i].Vaddr, prevHi, lo)
		}
	}
	return nil
}
