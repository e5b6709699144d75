package elf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ELF identification and header values, System V gABI ch. 4 ("ELF
// Header") and the RISC-V psABI ("ELF Object Files").
const (
	headerSize  = 64 // Elf64_Ehdr
	phdrSize    = 56 // Elf64_Phdr
	classELF64  = 2  // e_ident[EI_CLASS]
	dataLSB     = 1  // e_ident[EI_DATA]: little endian
	versionCur  = 1  // EV_CURRENT, e_ident[EI_VERSION] and e_version
	osabiSysV   = 0  // e_ident[EI_OSABI]: Go and most linkers
	osabiLinux  = 3  // ELFOSABI_GNU/Linux
	typeExec    = 2  // ET_EXEC
	typeDyn     = 3  // ET_DYN
	machRISCV   = 243
	maxPhnum    = 1024    // far above any real executable; Linux caps the table at 64 KiB
	PageSize    = 4096    // the loader maps 4 KiB pages
	MaxUserAddr = 1 << 38 // Sv39: user addresses are [0, 2^38)
)

// ErrDynamic is returned for executables that need a dynamic linker.
var ErrDynamic = errors.New("elf: dynamic executables are not supported (PT_INTERP or PT_DYNAMIC present); build with CGO_ENABLED=0")

// header is the part of Elf64_Ehdr the loader uses.
type header struct {
	typ, machine     uint16
	entry, phoff     uint64
	flags            uint32
	phentsize, phnum uint16
}

// errorf builds a parse error.
func errorf(format string, args ...any) error {
	return fmt.Errorf("elf: "+format, args...)
}

// parseHeader checks e_ident and the header fields that decide whether
// the file is a riscv64 executable at all.
func parseHeader(b []byte) (header, error) {
	var h header
	if len(b) < headerSize {
		return h, errorf("file is %d bytes, shorter than the 64-byte ELF header", len(b))
	}
	if string(b[:4]) != "\x7fELF" {
		return h, errorf("bad magic %q: not an ELF file", b[:4])
	}
	switch {
	case b[4] != classELF64:
		return h, errorf("class %d: not a 64-bit ELF file (want ELFCLASS64)", b[4])
	case b[5] != dataLSB:
		return h, errorf("data encoding %d: not little endian", b[5])
	case b[6] != versionCur:
		return h, errorf("ident version %d, want %d", b[6], versionCur)
	case b[7] != osabiSysV && b[7] != osabiLinux:
		return h, errorf("OS ABI %d: not System V or Linux", b[7])
	}
	le := binary.LittleEndian
	h.typ = le.Uint16(b[16:])
	h.machine = le.Uint16(b[18:])
	version := le.Uint32(b[20:])
	h.entry = le.Uint64(b[24:])
	h.phoff = le.Uint64(b[32:])
	h.flags = le.Uint32(b[48:])
	ehsize := le.Uint16(b[52:])
	h.phentsize = le.Uint16(b[54:])
	h.phnum = le.Uint16(b[56:])
	switch {
	case h.typ == typeDyn:
		return h, errorf("type ET_DYN: position-independent executables are not supported (want ET_EXEC)")
	case h.typ != typeExec:
		return h, errorf("type %d: not an executable (want ET_EXEC)", h.typ)
	case h.machine != machRISCV:
		return h, errorf("machine %d: not RISC-V (want EM_RISCV = %d)", h.machine, machRISCV)
	case version != versionCur:
		return h, errorf("version %d, want %d", version, versionCur)
	case ehsize != headerSize:
		return h, errorf("header size %d, want %d", ehsize, headerSize)
	}
	return h, nil
}
