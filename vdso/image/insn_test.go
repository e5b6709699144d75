package image

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestJumpImmediates(t *testing.T) {
	for _, off := range []int64{0, 2, -2, 4094, -4096, 1<<20 - 2, -1 << 20, 0x12344} {
		w, err := setJImm(jal(regRA), off)
		if err != nil || jImm(w) != off || w&0xfff != jal(regRA) {
			t.Errorf("J %d: %#x %v → %d", off, w, err, jImm(w))
		}
	}
	if _, err := setJImm(jal(0), 1<<20); err == nil {
		t.Error("J out of range accepted")
	}
	for _, off := range []int64{0, 2047, 2048, -2048, -2049, 0x7ffff7ff, -1 << 31, 0x3000 - 0x9d4} {
		hi, lo, err := hiLo(off)
		if err != nil || int64(int32(hi<<12))+int64(lo) != off {
			t.Errorf("hiLo(%d) = %#x %d %v", off, hi, lo, err)
		}
	}
	for _, off := range []int32{12, -4096, 4094} {
		if got := bImm(bne(regA0, 0, off)); got != int64(off) {
			t.Errorf("B %d → %d", off, got)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	b := func(w uint32) []byte { return binary.LittleEndian.AppendUint32(nil, w) }
	for _, c := range []struct {
		code []byte
		want string
	}{
		{[]byte{0x82, 0x80}, "compressed"}, // c.ret
		{b(ecall()), "system"},
		{b(rdtime(regA0)), "system"},
		{b(0x00053007), "floating-point"}, // fld ft0, 0(a0)
		{b(0x0000007f), "unknown"},
	} {
		if _, err := decode(c.code); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%x: %v, want %q", c.code, err, c.want)
		}
	}
	in, err := decode(b(ld(regA0, regSP, -8)))
	if err != nil || in.rd != regA0 || in.rs1 != regSP || in.imm != -8 || !in.writes || !in.read1 {
		t.Errorf("ld decoded as %+v %v", in, err)
	}
}
