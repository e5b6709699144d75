package elf

import (
	stdelf "debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The tests parse real riscv64 executables: the kernel/user programs,
// built once by TestMain with the stock toolchain.
var (
	binDir   string
	buildErr error
	progs    = []string{"hello", "threads", "sh"}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "copslab-elf-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	args := []string{"build", "-o", dir + "/"}
	for _, p := range progs {
		args = append(args, "copslab/kernel/user/"+p)
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func program(t testing.TB, name string) []byte {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	b, err := os.ReadFile(filepath.Join(binDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseMatchesDebugElf compares Parse with the standard library's
// reading of the same files.
func TestParseMatchesDebugElf(t *testing.T) {
	for _, name := range progs {
		b := program(t, name)
		img, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := stdelf.Open(filepath.Join(binDir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if img.Entry != f.Entry {
			t.Errorf("%s: entry %#x, debug/elf %#x", name, img.Entry, f.Entry)
		}
		var loads []*stdelf.Prog
		for _, p := range f.Progs {
			switch p.Type {
			case stdelf.PT_LOAD:
				loads = append(loads, p)
			case stdelf.PT_PHDR:
				if img.Phdr != p.Vaddr {
					t.Errorf("%s: Phdr %#x, PT_PHDR %#x", name, img.Phdr, p.Vaddr)
				}
			}
		}
		if img.Phnum != uint64(len(f.Progs)) || img.Phent != 56 {
			t.Errorf("%s: Phnum %d Phent %d, want %d 56", name, img.Phnum, img.Phent, len(f.Progs))
		}
		if len(img.Segments) != len(loads) {
			t.Fatalf("%s: %d segments, debug/elf has %d PT_LOAD", name, len(img.Segments), len(loads))
		}
		for i, p := range loads {
			s := img.Segments[i]
			want := Segment{Vaddr: p.Vaddr, Memsz: p.Memsz, FileOff: p.Off, Filesz: p.Filesz, Align: p.Align,
				Perm: permOf(p.Flags)}
			if s != want {
				t.Errorf("%s: segment %d = %+v, want %+v", name, i, s, want)
			}
		}
		// Go's layout: text r-x, rodata r--, data rw- with .bss beyond the file.
		if got := img.Segments[0].Perm.String() + img.Segments[1].Perm.String() + img.Segments[2].Perm.String(); got != "r-xr--rw-" {
			t.Errorf("%s: permissions %s", name, got)
		}
		if d := img.Segments[2]; d.Memsz <= d.Filesz {
			t.Errorf("%s: data segment has no .bss (memsz %#x filesz %#x)", name, d.Memsz, d.Filesz)
		}
	}
}

func permOf(f stdelf.ProgFlag) Perm {
	var p Perm
	if f&stdelf.PF_R != 0 {
		p |= R
	}
	if f&stdelf.PF_W != 0 {
		p |= W
	}
	if f&stdelf.PF_X != 0 {
		p |= X
	}
	return p
}

// phdrAt returns the file offset of program header i of b.
func phdrAt(b []byte, i int) int {
	return int(binary.LittleEndian.Uint64(b[32:])) + 56*i
}

// findPhdr returns the index of the first program header of type typ.
func findPhdr(t *testing.T, b []byte, typ uint32) int {
	n := int(binary.LittleEndian.Uint16(b[56:]))
	for i := 0; i < n; i++ {
		if binary.LittleEndian.Uint32(b[phdrAt(b, i):]) == typ {
			return i
		}
	}
	t.Fatalf("no program header of type %#x", typ)
	return -1
}

func TestParseRejectsBrokenFiles(t *testing.T) {
	orig := program(t, "hello")
	le := binary.LittleEndian
	load := func(b []byte, k int) int { // offset of the k-th PT_LOAD header
		n := int(le.Uint16(b[56:]))
		for i := 0; i < n; i++ {
			if le.Uint32(b[phdrAt(b, i):]) == ptLoad {
				if k == 0 {
					return phdrAt(b, i)
				}
				k--
			}
		}
		t.Fatal("no such PT_LOAD")
		return 0
	}
	cases := []struct {
		name, want string
		edit       func(b []byte) []byte
	}{
		{"empty", "shorter than the 64-byte", func(b []byte) []byte { return nil }},
		{"truncated header", "shorter than the 64-byte", func(b []byte) []byte { return b[:63] }},
		{"magic", "not an ELF file", func(b []byte) []byte { b[1] = 'X'; return b }},
		{"32-bit", "not a 64-bit", func(b []byte) []byte { b[4] = 1; return b }},
		{"big endian", "not little endian", func(b []byte) []byte { b[5] = 2; return b }},
		{"ident version", "ident version", func(b []byte) []byte { b[6] = 0; return b }},
		{"os abi", "OS ABI", func(b []byte) []byte { b[7] = 9; return b }},
		{"x86-64", "not RISC-V", func(b []byte) []byte { le.PutUint16(b[18:], 62); return b }},
		{"pie", "position-independent", func(b []byte) []byte { le.PutUint16(b[16:], 3); return b }},
		{"relocatable", "not an executable", func(b []byte) []byte { le.PutUint16(b[16:], 1); return b }},
		{"version", "version 0", func(b []byte) []byte { le.PutUint32(b[20:], 0); return b }},
		{"ehsize", "header size", func(b []byte) []byte { le.PutUint16(b[52:], 52); return b }},
		{"phentsize", "program header size", func(b []byte) []byte { le.PutUint16(b[54:], 32); return b }},
		{"no phdrs", "no program headers", func(b []byte) []byte { le.PutUint16(b[56:], 0); return b }},
		{"phoff beyond file", "beyond the", func(b []byte) []byte { le.PutUint64(b[32:], uint64(len(b))-8); return b }},
		{"phoff overflow", "beyond the", func(b []byte) []byte { le.PutUint64(b[32:], ^uint64(0)-10); return b }},
		{"truncated phdrs", "beyond the", func(b []byte) []byte { return b[:100] }},
		{"interp", "dynamic executables are not supported", func(b []byte) []byte {
			le.PutUint32(b[phdrAt(b, findPhdr(t, b, ptGNUStack)):], ptInterp)
			return b
		}},
		{"dynamic", "dynamic executables are not supported", func(b []byte) []byte {
			le.PutUint32(b[phdrAt(b, findPhdr(t, b, ptGNUStack)):], ptDynamic)
			return b
		}},
		{"tls", "PT_TLS", func(b []byte) []byte {
			le.PutUint32(b[phdrAt(b, findPhdr(t, b, ptGNUStack)):], ptTLS)
			return b
		}},
		{"filesz > memsz", "larger than memory size", func(b []byte) []byte {
			p := load(b, 2)
			le.PutUint64(b[p+40:], le.Uint64(b[p+32:])-1)
			return b
		}},
		{"file range beyond file", "beyond the", func(b []byte) []byte {
			p := load(b, 2)
			le.PutUint64(b[p+32:], uint64(len(b)))
			le.PutUint64(b[p+40:], uint64(len(b)))
			return b
		}},
		{"offset overflow", "beyond the", func(b []byte) []byte {
			le.PutUint64(b[load(b, 1)+8:], ^uint64(0)-0xfff)
			return b
		}},
		{"page zero", "maps page zero", func(b []byte) []byte {
			p := load(b, 1)
			le.PutUint64(b[p+16:], le.Uint64(b[p+8:])%0x10000)
			return b
		}},
		{"kernel half", "outside the Sv39 user range", func(b []byte) []byte {
			le.PutUint64(b[load(b, 2)+16:], 0xffffffc000160000)
			return b
		}},
		{"wraps", "outside the Sv39 user range", func(b []byte) []byte {
			le.PutUint64(b[load(b, 2)+40:], ^uint64(0)-0x1000)
			return b
		}},
		{"align not power of two", "not a power of two", func(b []byte) []byte {
			le.PutUint64(b[load(b, 1)+48:], 0x3000)
			return b
		}},
		{"misaligned", "disagree modulo alignment", func(b []byte) []byte {
			p := load(b, 1)
			le.PutUint64(b[p+16:], le.Uint64(b[p+16:])+0x1000)
			return b
		}},
		{"misaligned in page", "disagree modulo the page size", func(b []byte) []byte {
			p := load(b, 1)
			le.PutUint64(b[p+48:], 1)
			le.PutUint64(b[p+16:], le.Uint64(b[p+16:])+8)
			return b
		}},
		{"overlap", "overlap", func(b []byte) []byte {
			p, q := load(b, 1), load(b, 2)
			// Move the data segment to the last 64 KiB block of rodata,
			// keeping its address congruent to its file offset.
			pEnd := le.Uint64(b[p+16:]) + le.Uint64(b[p+40:])
			le.PutUint64(b[q+16:], (pEnd-1)&^0xffff+le.Uint64(b[q+8:])&0xffff)
			return b
		}},
		{"empty segment", "empty", func(b []byte) []byte {
			p := load(b, 2)
			le.PutUint64(b[p+32:], 0)
			le.PutUint64(b[p+40:], 0)
			return b
		}},
		{"no permissions", "no permissions", func(b []byte) []byte { le.PutUint32(b[load(b, 1)+4:], 0); return b }},
		{"no loads", "no PT_LOAD", func(b []byte) []byte {
			for k := 2; k >= 0; k-- {
				le.PutUint32(b[load(b, k):], 4) // PT_NOTE
			}
			return b
		}},
		{"entry outside", "not inside any loaded segment", func(b []byte) []byte { le.PutUint64(b[24:], 0x5000); return b }},
		{"entry in data", "non-executable segment", func(b []byte) []byte {
			le.PutUint64(b[24:], le.Uint64(b[load(b, 2)+16:]))
			return b
		}},
		{"phdr not loaded", "not covered by a PT_LOAD", func(b []byte) []byte {
			le.PutUint64(b[phdrAt(b, findPhdr(t, b, ptPhdr))+16:], 0x3000)
			return b
		}},
		{"phdr wrong place", "but the program headers are at", func(b []byte) []byte {
			p := phdrAt(b, findPhdr(t, b, ptPhdr))
			le.PutUint64(b[p+16:], le.Uint64(b[p+16:])+0x100)
			return b
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.edit(append([]byte(nil), orig...))
			img, err := Parse(b)
			if err == nil {
				t.Fatalf("accepted: %+v", img)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	if _, err := Parse(orig); err != nil {
		t.Fatalf("original rejected: %v", err)
	}
}

func TestErrDynamicIsSentinel(t *testing.T) {
	b := append([]byte(nil), program(t, "hello")...)
	binary.LittleEndian.PutUint32(b[phdrAt(b, findPhdr(t, b, ptGNUStack)):], ptInterp)
	if _, err := Parse(b); !errors.Is(err, ErrDynamic) {
		t.Errorf("err = %v, want ErrDynamic", err)
	}
}

// TestPhdrWithoutPTPHDR drops PT_PHDR: the address must come from the
// segment that loads the table.
func TestPhdrWithoutPTPHDR(t *testing.T) {
	b := append([]byte(nil), program(t, "hello")...)
	want, _ := Parse(b)
	binary.LittleEndian.PutUint32(b[phdrAt(b, findPhdr(t, b, ptPhdr)):], 4) // PT_NOTE
	img, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Phdr != want.Phdr || img.Phdr == 0 {
		t.Errorf("Phdr %#x, want %#x", img.Phdr, want.Phdr)
	}
}

func TestPermString(t *testing.T) {
	if s := (R | X).String(); s != "r-x" {
		t.Errorf("%q", s)
	}
	if s := Perm(0).String(); s != "---" {
		t.Errorf("%q", s)
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts keeps the
// promises the loader relies on.
func FuzzParse(f *testing.F) {
	hello := program(f, "hello")
	f.Add(hello[:4096])
	f.Add(hello[:200])
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Add(make([]byte, 64))
	small := append([]byte(nil), hello...)
	f.Add(small)
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := Parse(b)
		if err != nil {
			return
		}
		n := uint64(len(b))
		entryOK := false
		for i, s := range img.Segments {
			if s.Filesz > s.Memsz || s.FileOff+s.Filesz > n || s.Vaddr < PageSize || s.End() > MaxUserAddr {
				t.Fatalf("accepted bad segment %d: %+v (file %d bytes)", i, s, n)
			}
			if i > 0 {
				if _, hi := img.Segments[i-1].pageRange(); s.Vaddr < hi {
					t.Fatalf("accepted overlapping segments %+v %+v", img.Segments[i-1], s)
				}
			}
			if img.Entry >= s.Vaddr && img.Entry < s.Vaddr+s.Filesz && s.Perm&X != 0 {
				entryOK = true
			}
		}
		if !entryOK {
			t.Fatalf("accepted entry %#x outside executable file bytes", img.Entry)
		}
		if img.NumPages() <= 4096 { // huge .bss is valid but slow to walk
			for p := range img.Pages(b) {
				if p.Off+len(p.Data) > PageSize || p.Vaddr%PageSize != 0 {
					t.Fatalf("bad page %#x off %d len %d", p.Vaddr, p.Off, len(p.Data))
				}
			}
		}
	})
}
