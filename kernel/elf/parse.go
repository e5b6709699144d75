package elf

// Image describes a static executable as the loader needs it.
type Image struct {
	Entry    uint64    // AT_ENTRY and the initial pc
	Segments []Segment // PT_LOAD entries, sorted by Vaddr, on disjoint pages
	Flags    uint32    // e_flags (RISC-V float ABI etc.)

	// Phdr is the address of the program header table in the loaded image
	// (AT_PHDR), from PT_PHDR or else from the PT_LOAD segment that covers
	// it; 0 when no segment loads it. Phent and Phnum are AT_PHENT and
	// AT_PHNUM.
	Phdr, Phent, Phnum uint64

	// ExecStack reports PT_GNU_STACK with X (informational).
	ExecStack bool
}

// Parse validates b as a static riscv64 ELF executable and describes it.
func Parse(b []byte) (*Image, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	n := uint64(len(b))
	switch {
	case h.phentsize != phdrSize:
		return nil, errorf("program header size %d, want %d", h.phentsize, phdrSize)
	case h.phnum == 0:
		return nil, errorf("no program headers")
	case h.phnum > maxPhnum:
		return nil, errorf("%d program headers, more than the limit %d", h.phnum, maxPhnum)
	case h.phoff > n || uint64(h.phnum)*phdrSize > n-h.phoff:
		return nil, errorf("program header table [%#x, +%d×%d) beyond the %#x-byte file", h.phoff, h.phnum, phdrSize, n)
	}
	img := &Image{Entry: h.entry, Flags: h.flags, Phent: phdrSize, Phnum: uint64(h.phnum)}
	phdrVaddr, hasPhdr := uint64(0), false
	for i := 0; i < int(h.phnum); i++ {
		p := readPhdr(b[h.phoff+uint64(i)*phdrSize:])
		switch p.typ {
		case ptInterp, ptDynamic:
			return nil, ErrDynamic
		case ptLoad:
			s, err := loadSegment(i, p, n)
			if err != nil {
				return nil, err
			}
			img.Segments = append(img.Segments, s)
		case ptPhdr:
			phdrVaddr, hasPhdr = p.vaddr, true
		case ptGNUStack:
			img.ExecStack = p.flags&pfX != 0
		case ptTLS:
			return nil, errorf("PT_TLS: thread-local storage segments are not supported")
		}
	}
	if len(img.Segments) == 0 {
		return nil, errorf("no PT_LOAD segment")
	}
	if err := checkOverlap(img.Segments); err != nil {
		return nil, err
	}
	if err := img.checkEntry(); err != nil {
		return nil, err
	}
	return img, img.findPhdr(h.phoff, phdrVaddr, hasPhdr)
}

// checkEntry requires the entry point inside an executable segment.
func (img *Image) checkEntry() error {
	for _, s := range img.Segments {
		if img.Entry >= s.Vaddr && img.Entry < s.End() && img.Entry-s.Vaddr < s.Filesz {
			if s.Perm&X == 0 {
				return errorf("entry %#x lies in a non-executable segment (%s)", img.Entry, s.Perm)
			}
			return nil
		}
	}
	return errorf("entry %#x is not inside any loaded segment's file bytes", img.Entry)
}

// findPhdr sets img.Phdr: a PT_PHDR address must be loaded by a segment
// (as Linux and the Go linker require); without PT_PHDR the table's file
// offset is translated through the segment that loads it, if any.
func (img *Image) findPhdr(phoff, vaddr uint64, hasPhdr bool) error {
	size := img.Phnum * phdrSize
	for _, s := range img.Segments {
		if hasPhdr && vaddr >= s.Vaddr && size <= s.Filesz && vaddr-s.Vaddr <= s.Filesz-size {
			if s.FileOff+(vaddr-s.Vaddr) != phoff {
				return errorf("PT_PHDR at %#x loads file offset %#x, but the program headers are at %#x", vaddr, s.FileOff+(vaddr-s.Vaddr), phoff)
			}
			img.Phdr = vaddr
			return nil
		}
		if !hasPhdr && phoff >= s.FileOff && size <= s.Filesz && phoff-s.FileOff <= s.Filesz-size {
			img.Phdr = s.Vaddr + (phoff - s.FileOff)
			return nil
		}
	}
	if hasPhdr {
		return errorf("PT_PHDR at %#x is not covered by a PT_LOAD segment", vaddr)
	}
	return nil
}
