package kgdb

import (
	"math/rand"
	"reflect"
	"testing"
)

func TestNextPCs(t *testing.T) {
	var x [32]uint64
	x[1], x[10] = 0x12345, 0x2000
	const pc = 0x1000
	cases := []struct {
		name string
		insn uint32
		want []uint64
	}{
		{"addi a0,a0,1", 0x00150513, []uint64{pc + 4}},
		{"jal ra,+16", 0x010000ef, []uint64{pc + 16}},
		{"j -8", 0xff9ff06f, []uint64{pc - 8}},
		{"beq a0,a1,+8", 0x00b50463, []uint64{pc + 4, pc + 8}},
		{"ret (jalr x0,0(ra))", 0x00008067, []uint64{0x12344}}, // bit 0 cleared
		{"jalr ra,16(a0)", 0x010500e7, []uint64{0x2010}},
		{"ecall", 0x00000073, []uint64{pc + 4}},
		{"c.nop", 0x0001, []uint64{pc + 2}},
		{"c.j 0", 0xa001, []uint64{pc}},
		{"c.jr ra", 0x8082, []uint64{0x12344}},
		{"c.jalr a0", 0x9502, []uint64{0x2000}},
		{"c.ebreak", 0x9002, []uint64{pc + 2}},
		{"c.add a0,a1", 0x952e, []uint64{pc + 2}},
	}
	for _, c := range cases {
		if got := NextPCs(pc, c.insn, &x); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: NextPCs = %#x, want %#x", c.name, got, c.want)
		}
	}
}

// TestCompressedOffsets encodes every even offset of C.J, C.BEQZ and
// C.BNEZ (the CJ and CB immediate layouts of the C extension) and decodes
// it back.
func TestCompressedOffsets(t *testing.T) {
	var x [32]uint64
	const pc = 0x100000
	for off := -2048; off < 2048; off += 2 {
		o := uint32(off)
		cj := uint32(0xa001) | (o>>11&1)<<12 | (o>>4&1)<<11 | (o>>8&3)<<9 | (o>>10&1)<<8 |
			(o>>6&1)<<7 | (o>>7&1)<<6 | (o>>1&7)<<3 | (o>>5&1)<<2
		if got := NextPCs(pc, cj, &x); len(got) != 1 || got[0] != uint64(pc+off) {
			t.Fatalf("c.j %d (%#04x): %#x", off, cj, got)
		}
		if off < -256 || off >= 256 {
			continue
		}
		for _, base := range []uint32{0xc001, 0xe001} { // c.beqz s0 / c.bnez s0
			cb := base | (o>>8&1)<<12 | (o>>3&3)<<10 | (o>>6&3)<<5 | (o>>1&3)<<3 | (o>>5&1)<<2
			got := NextPCs(pc, cb, &x)
			pcs, n := uniq(pc+2, uint64(pc+off))
			want := pcs[:n]
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("c.b %#04x offset %d: %#x, want %#x", cb, off, got, want)
			}
		}
	}
	// 32-bit branch offsets, random.
	r := rand.New(rand.NewSource(1))
	for range 1000 {
		off := int64(r.Intn(8192)-4096) &^ 1
		o := uint32(off)
		insn := uint32(0x63) | (o>>11&1)<<7 | (o>>1&0xf)<<8 | (o>>5&0x3f)<<25 | (o>>12&1)<<31
		pcs, n := uniq(pc+4, uint64(pc+off))
		want := pcs[:n]
		if got := NextPCs(pc, insn, &x); !reflect.DeepEqual(got, want) {
			t.Fatalf("branch offset %d (%#08x): %#x", off, insn, got)
		}
	}
}

// Next runs in the kernel's trap handler, where nothing may be allocated.
func TestNextAllocatesNothing(t *testing.T) {
	var x [32]uint64
	x[5] = 0x1000
	insns := []uint32{0x13, 0x0000006f, 0x00028067, 0x00000463, 0xa001, 0xc111, 0x8282}
	if n := testing.AllocsPerRun(100, func() {
		for _, in := range insns {
			Next(0x8000, in, &x)
		}
	}); n != 0 {
		t.Errorf("Next allocates %v times per run", n)
	}
}
