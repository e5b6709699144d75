package build

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The boot stub: QEMU 7.2 (`-bios none -kernel`) starts every hart at the
// lowest loaded address with a0 = hart id and a1 = FDT address. Go's
// linker puts the ELF header at the lowest address of its image, so we add
// a segment below the image holding
//
//	auipc t0, 0        // t0 = address of the stub
//	ld    t0, 16(t0)   // t0 = the 64-bit entry address stored below
//	jr    t0
//	nop
//	.dword entry
//
// It clobbers only t0, so a0 and a1 reach the entry unchanged.
var stubCode = []uint32{0x00000297, 0x0102b283, 0x00028067, 0x00000013}

const (
	phdrSize  = 56 // sizeof(Elf64_Phdr)
	pageAlign = 0x1000
)

// AddBootStub writes to out the riscv64 ELF in, changed so that its lowest
// loaded address is a stub at addr that jumps to e_entry. The stub's bytes are
// appended to the file (page aligned) and described by one new PT_LOAD
// program header written into the padding after the existing ones.
func AddBootStub(in, out string, addr uint64) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	stubbed, err := addBootStub(data, addr)
	if err != nil {
		return fmt.Errorf("kernel build: boot stub for %s: %w", in, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, stubbed, 0o755)
}

func addBootStub(data []byte, addr uint64) ([]byte, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if f.Class != elf.ELFCLASS64 || f.Machine != elf.EM_RISCV || f.ByteOrder != binary.LittleEndian {
		return nil, errors.New("not a little-endian 64-bit RISC-V ELF")
	}
	low, firstData := ^uint64(0), ^uint64(0)
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Vaddr < low {
			low = p.Vaddr
		}
		if p.Vaddr == addr {
			return nil, fmt.Errorf("already has a segment at %#x", addr)
		}
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NULL && s.Offset != 0 && s.Offset < firstData {
			firstData = s.Offset
		}
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Off != 0 && p.Off < firstData {
			firstData = p.Off
		}
	}
	stubLen := uint64(len(stubCode)*4 + 8)
	if addr+stubLen > low {
		return nil, fmt.Errorf("stub at %#x overlaps the image starting at %#x", addr, low)
	}
	phoff := binary.LittleEndian.Uint64(data[0x20:])
	phnum := uint64(binary.LittleEndian.Uint16(data[0x38:]))
	if phoff < 64 || binary.LittleEndian.Uint16(data[0x36:]) != phdrSize {
		return nil, errors.New("unexpected program header table layout")
	}
	slot := phoff + phnum*phdrSize
	if slot+phdrSize > firstData || slot+phdrSize > uint64(len(data)) || slot < phoff {
		return nil, errors.New("no room for another program header")
	}
	out := append([]byte(nil), data...)
	for len(out)%pageAlign != 0 {
		out = append(out, 0)
	}
	stubOff := uint64(len(out))
	for _, w := range stubCode {
		out = binary.LittleEndian.AppendUint32(out, w)
	}
	out = binary.LittleEndian.AppendUint64(out, f.Entry)
	ph := make([]byte, 0, phdrSize)
	ph = binary.LittleEndian.AppendUint32(ph, uint32(elf.PT_LOAD))
	ph = binary.LittleEndian.AppendUint32(ph, uint32(elf.PF_R|elf.PF_X))
	for _, v := range []uint64{stubOff, addr, addr, stubLen, stubLen, pageAlign} {
		ph = binary.LittleEndian.AppendUint64(ph, v)
	}
	copy(out[slot:], ph)
	binary.LittleEndian.PutUint16(out[0x38:], uint16(phnum+1))
	growPhdrSegment(out, phoff, phnum)
	return out, nil
}

// growPhdrSegment extends PT_PHDR (if any) over the added header.
func growPhdrSegment(out []byte, phoff, phnum uint64) {
	for i := uint64(0); i < phnum; i++ {
		p := out[phoff+i*phdrSize:]
		if elf.ProgType(binary.LittleEndian.Uint32(p)) != elf.PT_PHDR {
			continue
		}
		size := (phnum + 1) * phdrSize
		binary.LittleEndian.PutUint64(p[32:], size) // p_filesz
		binary.LittleEndian.PutUint64(p[40:], size) // p_memsz
	}
}
