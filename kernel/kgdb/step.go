package kgdb

// Software single-step: where can the instruction at pc go next? RISC-V
// has no single-step trap below debug mode, so the stub puts temporary
// breakpoints on every possible successor and resumes. Encodings: the
// RISC-V unprivileged ISA, chapters "RV32I" (branches, JAL, JALR) and "C"
// (compressed jumps and branches).

// insnLen is 2 for a compressed instruction, else 4.
func insnLen(lo uint16) uint64 {
	if lo&3 != 3 {
		return 2
	}
	return 4
}

// NextPCs returns the possible addresses of the instruction after the one
// at pc (insn: its bits, 16 or 32 of them), given the integer registers.
func NextPCs(pc uint64, insn uint32, x *[32]uint64) []uint64 {
	pcs, n := Next(pc, insn, x)
	return pcs[:n:n]
}

// Next is NextPCs without allocating: the first n of pcs (one or two).
// The kernel's own stub calls it in trap context, where nothing may be
// allocated (kernel/rt, kgdb.go).
func Next(pc uint64, insn uint32, x *[32]uint64) (pcs [2]uint64, n int) {
	reg := func(r uint32) uint64 {
		if r == 0 {
			return 0
		}
		return x[r]
	}
	if insnLen(uint16(insn)) == 2 {
		return nextCompressed(pc, uint16(insn), reg)
	}
	fall := pc + 4
	switch insn & 0x7f {
	case 0x6f: // JAL
		return one(pc + uint64(jImm(insn)))
	case 0x67: // JALR
		rs1 := insn >> 15 & 31
		return one((reg(rs1) + uint64(int64(int32(insn)>>20))) &^ 1)
	case 0x63: // BEQ, BNE, BLT, BGE, BLTU, BGEU: both ways
		return uniq(fall, pc+uint64(bImm(insn)))
	}
	return one(fall)
}

func nextCompressed(pc uint64, c uint16, reg func(uint32) uint64) ([2]uint64, int) {
	fall := pc + 2
	op, f3 := c&3, c>>13
	switch {
	case op == 1 && f3 == 5: // C.J
		return one(pc + uint64(cjImm(c)))
	case op == 1 && (f3 == 6 || f3 == 7): // C.BEQZ, C.BNEZ
		return uniq(fall, pc+uint64(cbImm(c)))
	case op == 2 && f3 == 4 && c>>2&31 == 0 && c>>7&31 != 0: // C.JR, C.JALR (rs2 = 0)
		return one(reg(uint32(c>>7&31)) &^ 1)
	}
	return one(fall)
}

func one(a uint64) ([2]uint64, int) { return [2]uint64{a}, 1 }

func uniq(a, b uint64) ([2]uint64, int) {
	if a == b {
		return one(a)
	}
	return [2]uint64{a, b}, 2
}

// sext sign-extends the low bits of v.
func sext(v uint32, bits uint) int64 {
	return int64(int32(v<<(32-bits)) >> (32 - bits))
}

func jImm(i uint32) int64 {
	v := (i>>31&1)<<20 | (i>>12&0xff)<<12 | (i>>20&1)<<11 | (i>>21&0x3ff)<<1
	return sext(v, 21)
}

func bImm(i uint32) int64 {
	v := (i>>31&1)<<12 | (i>>7&1)<<11 | (i>>25&0x3f)<<5 | (i>>8&0xf)<<1
	return sext(v, 13)
}

func cjImm(c uint16) int64 {
	i := uint32(c)
	v := (i>>12&1)<<11 | (i>>11&1)<<4 | (i>>9&3)<<8 | (i>>8&1)<<10 |
		(i>>7&1)<<6 | (i>>6&1)<<7 | (i>>3&7)<<1 | (i>>2&1)<<5
	return sext(v, 12)
}

func cbImm(c uint16) int64 {
	i := uint32(c)
	v := (i>>12&1)<<8 | (i>>10&3)<<3 | (i>>5&3)<<6 | (i>>3&3)<<1 | (i>>2&1)<<5
	return sext(v, 9)
}
