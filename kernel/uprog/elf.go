package uprog

import "encoding/binary"

// Base is where the programs are linked: one read+execute segment that
// holds the ELF header, the program header, the code and its data.
const Base = 0x10000

const (
	ehdrSize = 64
	phdrSize = 56
	codeOff  = ehdrSize + phdrSize
)

// Entry is the first instruction's address.
const Entry = Base + codeOff

// executable wraps code (and data after it) into a static ELF file.
func executable(code []uint32, data []byte) []byte {
	b := make([]byte, codeOff, codeOff+4*len(code)+len(data))
	for _, w := range code {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	b = append(b, data...)
	le := binary.LittleEndian
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = 2, 1, 1 // ELFCLASS64, little-endian, version 1
	le.PutUint16(b[16:], 2)    // ET_EXEC
	le.PutUint16(b[18:], 243)  // EM_RISCV
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[24:], Entry)
	le.PutUint64(b[32:], ehdrSize) // e_phoff
	le.PutUint16(b[52:], ehdrSize)
	le.PutUint16(b[54:], phdrSize)
	le.PutUint16(b[56:], 1) // e_phnum
	ph := b[ehdrSize:]
	le.PutUint32(ph[0:], 1)     // PT_LOAD
	le.PutUint32(ph[4:], 4|1)   // PF_R | PF_X
	le.PutUint64(ph[16:], Base) // p_vaddr
	le.PutUint64(ph[24:], Base) // p_paddr
	le.PutUint64(ph[32:], uint64(len(b)))
	le.PutUint64(ph[40:], uint64(len(b)))
	le.PutUint64(ph[48:], 0x1000)
	return b
}
