package proc

import (
	"bytes"
	"debug/elf"
	"fmt"

	"copslab/kernel/vm"
)

// Image is what loading an ELF executable produced.
type Image struct {
	Entry uint64
	Phdr  uint64 // user address of the program headers (AT_PHDR), 0 if not loaded
	Phent uint64
	Phnum uint64
	End   uint64 // one past the highest loaded page (initial brk)
}

// MaxImage bounds the memory one executable may ask for.
const MaxImage = 256 << 20

// LoadELF maps the PT_LOAD segments of a static riscv64 ELF executable
// into s: pages with the segment's permissions (plus U), file bytes
// copied, the rest zeroed. Malformed or unsuitable files give an error,
// never a panic.
func (s *Space) LoadELF(img []byte) (*Image, error) {
	f, err := elf.NewFile(bytes.NewReader(img))
	if err != nil {
		return nil, fmt.Errorf("proc: not an ELF file: %w", err)
	}
	switch {
	case f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB:
		return nil, fmt.Errorf("proc: not a 64-bit little-endian ELF")
	case f.Machine != elf.EM_RISCV:
		return nil, fmt.Errorf("proc: ELF machine %v, want RISC-V", f.Machine)
	case f.Type != elf.ET_EXEC:
		return nil, fmt.Errorf("proc: ELF type %v, want a static executable (ET_EXEC)", f.Type)
	}
	im := &Image{Entry: f.Entry, Phent: 56, Phnum: uint64(len(f.Progs))}
	var total uint64
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Memsz == 0 {
			continue
		}
		if p.Filesz > p.Memsz || p.Off+p.Filesz > uint64(len(img)) || p.Off+p.Filesz < p.Off {
			return nil, fmt.Errorf("proc: segment at %#x: file range %#x+%#x outside the file", p.Vaddr, p.Off, p.Filesz)
		}
		start := p.Vaddr &^ (PageSize - 1)
		end := (p.Vaddr + p.Memsz + PageSize - 1) &^ (PageSize - 1)
		if start == 0 || end > UserTop || end <= start || p.Vaddr+p.Memsz < p.Vaddr {
			return nil, fmt.Errorf("proc: segment [%#x, %#x) outside user space", p.Vaddr, p.Vaddr+p.Memsz)
		}
		if total += end - start; total > MaxImage {
			return nil, fmt.Errorf("proc: image larger than %d MiB", MaxImage>>20)
		}
		if err := s.loadSegment(img, p, start, end); err != nil {
			return nil, err
		}
		if phoff := elfPhoff(img); phoff >= p.Off && phoff+56*im.Phnum <= p.Off+p.Filesz {
			im.Phdr = p.Vaddr + (phoff - p.Off)
		}
		im.End = max(im.End, end)
	}
	if im.End == 0 {
		return nil, fmt.Errorf("proc: ELF has no loadable segment")
	}
	if _, _, ok := s.PT.Translate(im.Entry); !ok {
		return nil, fmt.Errorf("proc: entry %#x is not in a loaded segment", im.Entry)
	}
	return im, nil
}

// elfPhoff reads e_phoff of a 64-bit ELF header.
func elfPhoff(img []byte) uint64 {
	if len(img) < 0x28 {
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(img[0x20+i])
	}
	return v
}

// loadSegment maps [start, end) and copies the segment's file bytes.
// Pages shared with an earlier segment keep that segment's frame.
func (s *Space) loadSegment(img []byte, p *elf.Prog, start, end uint64) error {
	perm := vm.Perm(0)
	if p.Flags&elf.PF_R != 0 {
		perm |= vm.R
	}
	if p.Flags&elf.PF_W != 0 {
		perm |= vm.R | vm.W
	}
	if p.Flags&elf.PF_X != 0 {
		perm |= vm.X
	}
	if perm == 0 {
		return fmt.Errorf("proc: segment at %#x has no permissions", p.Vaddr)
	}
	for va := start; va < end; va += PageSize {
		if _, ok := s.pages[va]; ok {
			continue
		}
		if err := s.mapZero(va, perm); err != nil {
			return err
		}
	}
	return s.poke(p.Vaddr, img[p.Off:p.Off+p.Filesz])
}
