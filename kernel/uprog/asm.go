package uprog

// A minimal RV64I encoder: only what the built-in programs use
// (unprivileged spec v20191213, chapter 24 instruction formats).

// Register numbers.
const (
	zero = 0
	sp   = 2
	t0   = 5
	t1   = 6
	s0   = 8
	s1   = 9
	a0   = 10
	a1   = 11
	a2   = 12
	a3   = 13
	a7   = 17
	s2   = 18
	s3   = 19
)

func iType(op, rd, f3, rs1 uint32, imm int32) uint32 {
	return uint32(imm)<<20 | rs1<<15 | f3<<12 | rd<<7 | op
}

func rType(op, rd, f3, rs1, rs2, f7 uint32) uint32 {
	return f7<<25 | rs2<<20 | rs1<<15 | f3<<12 | rd<<7 | op
}

func addi(rd, rs uint32, imm int32) uint32 { return iType(0x13, rd, 0, rs, imm) }
func li(rd uint32, imm int32) uint32       { return addi(rd, zero, imm) }
func lui(rd uint32, imm20 uint32) uint32   { return imm20<<12 | rd<<7 | 0x37 }
func auipc(rd uint32, imm20 uint32) uint32 { return imm20<<12 | rd<<7 | 0x17 }
func slli(rd, rs uint32, sh int32) uint32  { return iType(0x13, rd, 1, rs, sh) }
func ld(rd, rs uint32, imm int32) uint32   { return iType(0x03, rd, 3, rs, imm) }
func lw(rd, rs uint32, imm int32) uint32   { return iType(0x03, rd, 2, rs, imm) }
func sub(rd, rs1, rs2 uint32) uint32       { return rType(0x33, rd, 0, rs1, rs2, 0x20) }
func remu(rd, rs1, rs2 uint32) uint32      { return rType(0x33, rd, 7, rs1, rs2, 1) } // M extension

func ecall() uint32              { return 0x00000073 }
func csrr(rd, csr uint32) uint32 { return iType(0x73, rd, 2, zero, int32(csr)) }

// sd stores rs2 at imm(rs1) (S-type).
func sd(rs2, rs1 uint32, imm int32) uint32 {
	u := uint32(imm)
	return (u>>5&0x7f)<<25 | rs2<<20 | rs1<<15 | 3<<12 | (u&0x1f)<<7 | 0x23
}

// branch encodes a B-type conditional branch by off bytes (even, ±4 KiB).
func branch(f3, rs1, rs2 uint32, off int32) uint32 {
	u := uint32(off)
	return (u>>12&1)<<31 | (u>>5&0x3f)<<25 | rs2<<20 | rs1<<15 | f3<<12 | (u>>1&0xf)<<8 | (u>>11&1)<<7 | 0x63
}

func bne(rs1, rs2 uint32, off int32) uint32 { return branch(1, rs1, rs2, off) }
func beq(rs1, rs2 uint32, off int32) uint32 { return branch(0, rs1, rs2, off) }
func bge(rs1, rs2 uint32, off int32) uint32 { return branch(5, rs1, rs2, off) }

// jal with rd = x0 jumps by off bytes (even, ±1 MiB).
func j(off int32) uint32 {
	u := uint32(off)
	return (u>>20&1)<<31 | (u>>1&0x3ff)<<21 | (u>>11&1)<<20 | (u>>12&0xff)<<12 | 0x6f
}

// CSR numbers of the user counters.
const (
	csrCycle   = 0xc00
	csrInstret = 0xc02
)
