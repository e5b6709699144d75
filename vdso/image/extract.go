package image

import (
	"debug/elf"
	"fmt"
	"sort"
)

// Extraction and the check that makes the extracted code position
// independent. Every instruction of every function is decoded (insn.go)
// and must satisfy:
//
//   - a JAL lands inside its own function, or is a call to the first
//     instruction of another function of the image;
//   - an AUIPC is followed by a JALR through the same register that
//     calls a function of the image (the far form of a call); any other
//     AUIPC reaches for data outside the image (a global, a .rodata
//     constant) and is refused;
//   - a JALR is a return (jalr x0, 0(ra)) or the second half of such a
//     call; no other indirect jump;
//   - a conditional branch stays inside its function;
//   - no instruction reads or writes g (X27), gp (X3) or tp (X4);
//   - no compressed, floating-point or SYSTEM instruction.
//
// Calls between functions of the image are re-encoded for their new
// places (relocate). The check also records which C callee-saved
// registers a function writes, so that the C entry points save exactly
// those (entry.go).

// fn is one function taken from the compiled program.
type fn struct {
	Func
	addr   uint64 // in the compiled program
	code   []byte
	calls  []call          // calls to other image functions
	writes map[uint32]bool // integer registers written
	off    uint64          // place in the image's text (set by layout)
}

// call is a call instruction at off (a JAL, or an AUIPC+JALR pair when
// pair) whose target is the image function at addr.
type call struct {
	off    uint64
	pair   bool
	target uint64
}

// program is the compiled program's symbol table, for names in errors.
type program struct {
	f    *elf.File
	syms []elf.Symbol // sorted by address
}

func openProgram(path string) (*program, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vdso: %w", err)
	}
	syms, err := f.Symbols()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("vdso: %s: %w", path, err)
	}
	sort.Slice(syms, func(i, j int) bool { return syms[i].Value < syms[j].Value })
	return &program{f, syms}, nil
}

// lookup finds a function symbol by name.
func (p *program) lookup(name string) (elf.Symbol, bool) {
	for _, s := range p.syms {
		if s.Name == name && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			return s, true
		}
	}
	return elf.Symbol{}, false
}

// name describes an address as symbol+offset.
func (p *program) name(addr uint64) string {
	i := sort.Search(len(p.syms), func(i int) bool { return p.syms[i].Value > addr }) - 1
	for ; i >= 0; i-- {
		s := p.syms[i]
		if s.Name != "" && addr < s.Value+max(s.Size, 1) {
			if addr == s.Value {
				return s.Name
			}
			return fmt.Sprintf("%s+%#x", s.Name, addr-s.Value)
		}
		if s.Name != "" && s.Size != 0 {
			break
		}
	}
	return fmt.Sprintf("%#x (no symbol)", addr)
}

// code reads n bytes of text at addr.
func (p *program) code(addr, n uint64) ([]byte, error) {
	for _, s := range p.f.Sections {
		if s.Type == elf.SHT_PROGBITS && s.Flags&elf.SHF_EXECINSTR != 0 && addr >= s.Addr && addr+n <= s.Addr+s.Size {
			b := make([]byte, n)
			_, err := s.ReadAt(b, int64(addr-s.Addr))
			return b, err
		}
	}
	return nil, fmt.Errorf("vdso: %#x+%d is not in a text section", addr, n)
}

// CheckError is a refused instruction: the function, the offset in it,
// the instruction and why.
type CheckError struct {
	Func   string
	Off    uint64
	Word   uint32
	Reason string
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("vdso: %s+%#x: instruction %#08x: %s", e.Func, e.Off, e.Word, e.Reason)
}

// extract takes the functions from the program: those missing are
// unexported ones the compiler inlined into every caller (returned in
// inlined); a missing exported one is an error. Then every function is
// checked against the whole set.
func extract(p *program, funcs []Func) (fns []*fn, inlined []string, err error) {
	byAddr := map[uint64]*fn{}
	for _, f := range funcs {
		s, ok := p.lookup(f.Symbol())
		if !ok {
			if f.exported() {
				return nil, nil, fmt.Errorf("vdso: %s is not in the compiled program", f.Symbol())
			}
			inlined = append(inlined, f.Symbol())
			continue
		}
		if s.Size == 0 || s.Size%4 != 0 {
			return nil, nil, fmt.Errorf("vdso: %s has size %d", f.Symbol(), s.Size)
		}
		if byAddr[s.Value] != nil {
			continue // listed twice
		}
		code, err := p.code(s.Value, s.Size)
		if err != nil {
			return nil, nil, err
		}
		x := &fn{Func: f, addr: s.Value, code: code, writes: map[uint32]bool{}}
		byAddr[s.Value] = x
		fns = append(fns, x)
	}
	for _, x := range fns {
		if err := check(p, x, byAddr); err != nil {
			return nil, nil, err
		}
	}
	return fns, inlined, nil
}

// check decodes x's code and applies the rules above.
func check(p *program, x *fn, set map[uint64]*fn) error {
	n := uint64(len(x.code))
	fail := func(off uint64, w uint32, format string, args ...any) error {
		return &CheckError{Func: x.Symbol(), Off: off, Word: w, Reason: fmt.Sprintf(format, args...)}
	}
	pairEnd := uint64(0) // offset of the JALR completing an AUIPC call
	for off := uint64(0); off < n; off += 4 {
		in, err := decode(x.code[off:])
		if err != nil {
			return fail(off, in.word, "%v", err)
		}
		for _, r := range [...]struct {
			used bool
			reg  uint32
		}{{in.writes, in.rd}, {in.read1, in.rs1}, {in.read2, in.rs2}} {
			switch {
			case !r.used:
			case r.reg == regG:
				return fail(off, in.word, "uses g (X27): Go runtime state that does not exist in the vDSO")
			case r.reg == regGP || r.reg == regTP:
				return fail(off, in.word, "uses gp/tp (X%d)", r.reg)
			}
		}
		if in.writes {
			x.writes[in.rd] = true
		}
		pc := x.addr + off
		switch in.op {
		case opJal:
			t := uint64(int64(pc) + in.imm)
			if t >= x.addr && t < x.addr+n {
				continue
			}
			if set[t] == nil {
				return fail(off, in.word, "jump to %s outside the image", p.name(t))
			}
			x.calls = append(x.calls, call{off: off, target: t})
		case opAuipc:
			next, err := decode(x.code[min(off+4, n-4):])
			if off+4 >= n || err != nil || next.op != opJalr || next.rs1 != in.rd {
				t := uint64(int64(pc) + in.imm)
				if err == nil && off+4 < n && next.read1 && next.rs1 == in.rd {
					t = uint64(int64(t) + next.imm)
				}
				return fail(off, in.word, "pc-relative reference to %s outside the image", p.name(t))
			}
			t := uint64(int64(pc) + in.imm + next.imm)
			if set[t] == nil {
				return fail(off, in.word, "call to %s outside the image", p.name(t))
			}
			x.calls = append(x.calls, call{off: off, pair: true, target: t})
			pairEnd = off + 4
		case opJalr:
			if off == pairEnd && off != 0 {
				continue
			}
			if in.rd != regZero || in.rs1 != regRA || in.imm != 0 {
				return fail(off, in.word, "indirect jump through X%d", in.rs1)
			}
		case opBranch:
			t := uint64(int64(pc) + in.imm)
			if t < x.addr || t >= x.addr+n {
				return fail(off, in.word, "branch to %s outside the function", p.name(t))
			}
		}
	}
	return nil
}

// relocate re-encodes x's calls for the image layout (every fn's off
// set); x.code is changed in place.
func relocate(x *fn, set map[uint64]*fn) error {
	for _, c := range x.calls {
		delta := int64(set[c.target].off) - int64(x.off+c.off)
		w := le32(x.code[c.off:])
		if !c.pair {
			nw, err := setJImm(w, delta)
			if err != nil {
				return fmt.Errorf("vdso: %s+%#x: %v", x.Symbol(), c.off, err)
			}
			put32(x.code[c.off:], nw)
			continue
		}
		hi, lo, err := hiLo(delta)
		if err != nil {
			return fmt.Errorf("vdso: %s+%#x: %v", x.Symbol(), c.off, err)
		}
		put32(x.code[c.off:], w&0xfff|hi<<12)
		j := le32(x.code[c.off+4:])
		put32(x.code[c.off+4:], j&0xfffff|uint32(lo)<<20)
	}
	return nil
}

// reach returns the functions reachable from x by calls (x included).
func reach(x *fn, set map[uint64]*fn) []*fn {
	seen := map[*fn]bool{x: true}
	out := []*fn{x}
	for i := 0; i < len(out); i++ {
		for _, c := range out[i].calls {
			if t := set[c.target]; !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func put32(b []byte, w uint32) {
	b[0], b[1], b[2], b[3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
}
