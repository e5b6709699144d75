package proc

import (
	"fmt"

	"copslab/kernel/elf"
	"copslab/kernel/vm"
)

// Image is what loading an ELF executable produced.
type Image struct {
	Entry uint64
	Phdr  uint64 // user address of the program headers (AT_PHDR), 0 if not loaded
	Phent uint64
	Phnum uint64
	End   uint64 // one past the highest loaded page (initial brk)
	// TextLo and TextHi bound the executable segments [TextLo, TextHi)
	// (a user-interrupt handler must lie there, uintr.go).
	TextLo, TextHi uint64
}

// MaxImage bounds the file-backed memory one executable may ask for:
// the pages that hold bytes of the file, which are mapped at load time.
// Zero-fill (.bss, .noptrbss) is not counted: it costs nothing until it
// is touched, and then counts against the space's MaxPages like any
// other page.
const MaxImage = 256 << 20

// LoadELF maps a static riscv64 ELF executable into s. kernel/elf
// validates the file and splits its PT_LOAD segments into pages. A page
// that holds file bytes gets a zeroed frame with the segment's
// permissions plus U, and its bytes, now; a page that is all zero fill
// is only reserved (demand-zero, like the stack's reserve and anonymous
// mmap) and gets its frame on first touch. Go 1.26 links a 32 MiB
// buffer into .noptrbss of every program that imports crypto/*
// (crypto/internal/fips140/drbg), and expects it to stay untouched
// until used, as it does on Linux. Malformed or unsuitable files give
// an error, never a panic; on error the caller releases the space.
func (s *Space) LoadELF(file []byte) (*Image, error) {
	img, err := elf.Parse(file)
	if err != nil {
		return nil, fmt.Errorf("proc: %w", err)
	}
	im := &Image{Entry: img.Entry, Phdr: img.Phdr, Phent: img.Phent, Phnum: img.Phnum}
	for _, seg := range img.Segments {
		end := (seg.End() + PageSize - 1) &^ (PageSize - 1)
		if seg.Vaddr < PageSize || end > UserTop || end < seg.Vaddr {
			return nil, fmt.Errorf("proc: segment [%#x, %#x) outside user space", seg.Vaddr, seg.End())
		}
		im.End = max(im.End, end)
		if seg.Perm&elf.X != 0 {
			if im.TextHi == 0 || seg.Vaddr < im.TextLo {
				im.TextLo = seg.Vaddr
			}
			im.TextHi = max(im.TextHi, seg.End())
		}
	}
	filePages := 0
	for pg := range img.Pages(file) {
		if len(pg.Data) > 0 {
			filePages++
		}
	}
	if uint64(filePages)*PageSize > MaxImage {
		return nil, fmt.Errorf("proc: image larger than %d MiB", MaxImage>>20)
	}
	var zero region // the run of zero-fill pages being collected
	flush := func() error {
		if zero.end > zero.start {
			if err := s.Reserve(zero.start, zero.end-zero.start, zero.perm); err != nil {
				return fmt.Errorf("proc: zero fill: %w", err)
			}
		}
		zero = region{}
		return nil
	}
	for pg := range img.Pages(file) {
		perm := vmPerm(pg.Perm)
		if len(pg.Data) == 0 {
			if zero.end != pg.Vaddr || zero.perm != perm {
				if err := flush(); err != nil {
					return nil, err
				}
				zero = region{pg.Vaddr, pg.Vaddr, perm}
			}
			zero.end = pg.Vaddr + PageSize
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		if err := s.mapZero(pg.Vaddr, perm); err != nil {
			return nil, fmt.Errorf("proc: loading page %#x: %w", pg.Vaddr, err)
		}
		if err := s.poke(pg.Vaddr+uint64(pg.Off), pg.Data); err != nil {
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return im, nil
}

// vmPerm maps segment permissions to leaf bits (W implies R in Sv39).
func vmPerm(p elf.Perm) vm.Perm {
	var v vm.Perm
	if p&elf.R != 0 {
		v |= vm.R
	}
	if p&elf.W != 0 {
		v |= vm.R | vm.W
	}
	if p&elf.X != 0 {
		v |= vm.X
	}
	return v
}
