package uprog

import (
	"bytes"
	"debug/elf"
	"testing"
)

// Encodings checked against the ISA manual's examples / GNU as output.
func TestEncodings(t *testing.T) {
	cases := []struct {
		name string
		got  uint32
		want uint32
	}{
		{"ecall", ecall(), 0x00000073},
		{"li a0, 1", li(a0, 1), 0x00100513},
		{"li a7, 64", li(a7, 64), 0x04000893},
		{"addi s2, s2, -1", addi(s2, s2, -1), 0xfff90913},
		{"slli t0, t0, 31", slli(t0, t0, 31), 0x01f29293},
		{"lui a1, 1", lui(a1, 1), 0x000015b7},
		{"auipc a1, 0", auipc(a1, 0), 0x00000597},
		{"ld a0, 0(zero)", ld(a0, zero, 0), 0x00003503},
		{"sub a0, zero, a0", sub(a0, zero, a0), 0x40a00533},
		{"rdcycle s0", csrr(s0, csrCycle), 0xc0002473},
		{"rdinstret s1", csrr(s1, csrInstret), 0xc02024f3},
		{"j 0", j(0), 0x0000006f},
		{"j -4", j(-4), 0xffdff06f},
		{"bnez s2, -12", bne(s2, zero, -12), 0xfe091ae3},
		{"beqz a0, 44", beq(a0, zero, 44), 0x02050663},
		{"lui a0, 0x11", lui(a0, 0x11), 0x00011537},
		{"sd t0, -64(sp)", sd(t0, sp, -64), 0xfc513023},
		{"lw a0, -16(sp)", lw(a0, sp, -16), 0xff012503},
		{"remu t1, s3, t0", remu(t1, s3, t0), 0x0259f333},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %#08x, want %#08x", c.name, c.got, c.want)
		}
	}
}

func TestProgramsAreValidELF(t *testing.T) {
	if len(Names()) < 5 {
		t.Fatalf("only %d programs", len(Names()))
	}
	for _, n := range Names() {
		p, _ := Lookup(n)
		f, err := elf.NewFile(bytes.NewReader(p.ELF))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if f.Machine != elf.EM_RISCV || f.Type != elf.ET_EXEC || f.Entry != Entry || len(f.Progs) != 1 {
			t.Errorf("%s: machine %v type %v entry %#x progs %d", n, f.Machine, f.Type, f.Entry, len(f.Progs))
		}
		if ph := f.Progs[0]; ph.Vaddr != Base || ph.Filesz != uint64(len(p.ELF)) || ph.Flags != elf.PF_R|elf.PF_X {
			t.Errorf("%s: segment %+v", n, ph.ProgHeader)
		}
	}
	p, _ := Lookup("uhello")
	if !bytes.HasSuffix(p.ELF, []byte(HelloText)) || len(p.ELF) != codeOff+9*4+len(HelloText) {
		t.Errorf("uhello layout: %d bytes", len(p.ELF))
	}
}
