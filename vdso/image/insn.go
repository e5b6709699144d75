package image

import "fmt"

// A decoder for the RV64 instructions the Go compiler emits for the
// restricted code of the vDSO (unprivileged ISA v20191213, chapter 24
// "RV32/64G Instruction Set Listings"): the 32-bit base formats with
// the M and A extensions. Compressed instructions are refused: the
// image's packages are compiled with -d=compressinstructions=0, so a
// 16-bit instruction means the build went wrong. Floating point and
// SYSTEM instructions are refused too: C callers keep fs0–fs11, and Go
// code in the vDSO has no business with CSRs or traps.

// Major opcodes (table 24.1).
const (
	opLoad    = 0x03
	opMiscMem = 0x0f
	opImm     = 0x13
	opAuipc   = 0x17
	opImm32   = 0x1b
	opStore   = 0x23
	opAmo     = 0x2f
	opOp      = 0x33
	opLui     = 0x37
	opOp32    = 0x3b
	opBranch  = 0x63
	opJalr    = 0x67
	opJal     = 0x6f
	opSystem  = 0x73
)

// insn is one decoded 32-bit instruction.
type insn struct {
	word         uint32
	op           uint32
	rd, rs1, rs2 uint32
	imm          int64 // sign-extended immediate of the format (U: already << 12)
	writes       bool  // rd is written
	read1, read2 bool  // rs1 / rs2 are read
}

// decode decodes the instruction at the start of b (at least 4 bytes
// unless the instruction is compressed).
func decode(b []byte) (insn, error) {
	if len(b) < 2 {
		return insn{}, fmt.Errorf("truncated instruction")
	}
	if b[0]&3 != 3 {
		return insn{}, fmt.Errorf("compressed instruction %#04x (the image's code must be compiled with -d=compressinstructions=0)", uint16(b[0])|uint16(b[1])<<8)
	}
	if len(b) < 4 {
		return insn{}, fmt.Errorf("truncated instruction")
	}
	w := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
	in := insn{word: w, op: w & 0x7f, rd: w >> 7 & 31, rs1: w >> 15 & 31, rs2: w >> 20 & 31}
	switch in.op {
	case opLui, opAuipc:
		in.imm, in.writes = int64(int32(w&0xfffff000)), true
	case opJal:
		in.imm, in.writes = jImm(w), true
	case opJalr, opLoad, opImm, opImm32:
		in.imm, in.writes, in.read1 = int64(int32(w)>>20), true, true
	case opStore:
		in.imm, in.read1, in.read2 = int64(int32(w&0xfe000000)>>20|int32(w>>7&31)), true, true
	case opBranch:
		in.imm, in.read1, in.read2 = bImm(w), true, true
	case opOp, opOp32, opAmo:
		in.writes, in.read1, in.read2 = true, true, true
	case opMiscMem:
	case opSystem:
		return in, fmt.Errorf("system instruction %#08x (CSR access, ecall or ebreak)", w)
	case 0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53:
		return in, fmt.Errorf("floating-point instruction %#08x", w)
	default:
		return in, fmt.Errorf("unknown instruction %#08x", w)
	}
	if in.rd == 0 {
		in.writes = false
	}
	return in, nil
}

// jImm is the J-type immediate (a byte offset, ±1 MiB).
func jImm(w uint32) int64 {
	v := (w>>31&1)<<20 | (w>>12&0xff)<<12 | (w>>20&1)<<11 | (w>>21&0x3ff)<<1
	return int64(int32(v<<11) >> 11)
}

// bImm is the B-type immediate (a byte offset, ±4 KiB).
func bImm(w uint32) int64 {
	v := (w>>31&1)<<12 | (w>>7&1)<<11 | (w>>25&0x3f)<<5 | (w>>8&0xf)<<1
	return int64(int32(v<<19) >> 19)
}

// setJImm returns the JAL w with its offset replaced by off.
func setJImm(w uint32, off int64) (uint32, error) {
	if off < -1<<20 || off >= 1<<20 || off&1 != 0 {
		return 0, fmt.Errorf("jump offset %d out of range", off)
	}
	v := uint32(off)
	return w&0xfff | (v>>20&1)<<31 | (v>>1&0x3ff)<<21 | (v>>11&1)<<20 | (v>>12&0xff)<<12, nil
}

// hiLo splits a pc-relative offset for an AUIPC and a following
// I-type instruction (ADDI, JALR, LD).
func hiLo(off int64) (hi uint32, lo int32, err error) {
	if off < -1<<31 || off >= 1<<31-1<<11 {
		return 0, 0, fmt.Errorf("pc-relative offset %d out of range", off)
	}
	lo = int32(off << 52 >> 52)
	hi = uint32((off - int64(lo)) >> 12 & 0xfffff)
	return hi, lo, nil
}

// Encoders for the entry code (same formats).
func iType(op, rd, f3, rs1 uint32, imm int32) uint32 {
	return uint32(imm)<<20 | rs1<<15 | f3<<12 | rd<<7 | op
}

func sType(op, f3, rs1, rs2 uint32, imm int32) uint32 {
	u := uint32(imm)
	return (u>>5&0x7f)<<25 | rs2<<20 | rs1<<15 | f3<<12 | (u&31)<<7 | op
}

func addi(rd, rs uint32, imm int32) uint32 { return iType(opImm, rd, 0, rs, imm) }
func ld(rd, rs uint32, imm int32) uint32   { return iType(opLoad, rd, 3, rs, imm) }
func sd(rs2, rs1 uint32, imm int32) uint32 { return sType(opStore, 3, rs1, rs2, imm) }
func auipc(rd, hi uint32) uint32           { return hi<<12 | rd<<7 | opAuipc }
func jalr(rd, rs uint32, imm int32) uint32 { return iType(opJalr, rd, 0, rs, imm) }
func jal(rd uint32) uint32                 { return rd<<7 | opJal } // offset set by setJImm
func bne(rs1, rs2 uint32, off int32) uint32 {
	u := uint32(off)
	return (u>>12&1)<<31 | (u>>5&0x3f)<<25 | rs2<<20 | rs1<<15 | 1<<12 | (u>>1&0xf)<<8 | (u>>11&1)<<7 | opBranch
}
func ecall() uint32 { return opSystem }

// rdtime rd is csrrs rd, time, x0 (Zicntr; the kernel's mcounteren lets
// U-mode read it).
func rdtime(rd uint32) uint32 { return iType(opSystem, rd, 2, 0, 0xc01) }

// Register numbers (psABI names).
const (
	regZero = 0
	regRA   = 1
	regSP   = 2
	regGP   = 3
	regTP   = 4
	regA0   = 10
	regA1   = 11
	regA2   = 12
	regA3   = 13
	regA7   = 17
	regG    = 27 // Go's g; s11 in the psABI
)

// calleeSaved are the integer registers a C caller expects preserved
// (psABI: s0–s11; sp, gp, tp are checked separately).
func calleeSaved(r uint32) bool { return r == 8 || r == 9 || r >= 18 && r <= 27 }
