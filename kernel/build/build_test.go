package build

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestEditsFitThisGo applies every runtime edit to the installed GOROOT:
// if this fails, the kernel cannot be built with this Go version.
func TestEditsFitThisGo(t *testing.T) {
	for _, file := range editedFiles(runtimeEdits) {
		src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "runtime", file))
		if err != nil {
			t.Fatal(err)
		}
		out, err := applyEdits(runtime.Version(), file, string(src), runtimeEdits)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "copslab") {
			t.Errorf("%s unchanged after edits", file)
		}
	}
}

// TestEditCountMismatch: a runtime that no longer matches fails with a
// message naming the Go version, the file and the edit.
func TestEditCountMismatch(t *testing.T) {
	edits := []edit{{File: "proc.go", Name: "demo", Old: "needle", New: "pin", Count: 1}}
	for _, src := range []string{"no match here", "needle needle"} {
		_, err := applyEdits("go9.9", "proc.go", src, edits)
		if err == nil {
			t.Fatalf("no error for %q", src)
		}
		for _, want := range []string{"go9.9", "runtime/proc.go", `"demo"`, "expects 1"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	}
	out, err := applyEdits("go9.9", "proc.go", "a needle b", edits)
	if err != nil || out != "a pin b" {
		t.Fatalf("applyEdits = %q, %v", out, err)
	}
}

// tinyELF builds a minimal riscv64 executable: PHDR + one PT_LOAD at
// base (headers) with code at base+0x1000, entry at base+0x1000.
func tinyELF(base uint64) []byte {
	le := binary.LittleEndian
	b := make([]byte, 0x1010)
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], uint16(elf.ET_EXEC))
	le.PutUint16(b[18:], uint16(elf.EM_RISCV))
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[24:], base+0x1000) // e_entry
	le.PutUint64(b[32:], 64)          // e_phoff
	le.PutUint16(b[52:], 64)          // e_ehsize
	le.PutUint16(b[54:], phdrSize)
	le.PutUint16(b[56:], 2) // e_phnum
	ph := func(i int, typ elf.ProgType, off, addr, size uint64) {
		p := b[64+i*phdrSize:]
		le.PutUint32(p, uint32(typ))
		le.PutUint32(p[4:], uint32(elf.PF_R|elf.PF_X))
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], addr)
		le.PutUint64(p[24:], addr)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
		le.PutUint64(p[48:], 0x1000)
	}
	ph(0, elf.PT_PHDR, 64, base+64, 2*phdrSize)
	ph(1, elf.PT_LOAD, 0, base, uint64(len(b)))
	return b
}

func TestBootStub(t *testing.T) {
	const base, stub = 0x80010000, 0x80000000
	out, err := addBootStub(tinyELF(base), stub)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Progs) != 3 {
		t.Fatalf("%d program headers, want 3", len(f.Progs))
	}
	low := f.Progs[0]
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Vaddr < low.Vaddr || low.Type != elf.PT_LOAD {
			low = p
		}
	}
	if low.Vaddr != stub || low.Paddr != stub || low.Flags&elf.PF_X == 0 {
		t.Fatalf("lowest segment %+v, want executable PT_LOAD at %#x", low.ProgHeader, uint64(stub))
	}
	code := make([]byte, low.Filesz)
	if _, err := low.ReadAt(code, 0); err != nil {
		t.Fatal(err)
	}
	for i, w := range stubCode {
		if got := binary.LittleEndian.Uint32(code[4*i:]); got != w {
			t.Errorf("instruction %d = %#x, want %#x", i, got, w)
		}
	}
	// auipc t0,0; ld t0,16(t0): the jump target is the dword at +16.
	if got := binary.LittleEndian.Uint64(code[16:]); got != f.Entry || f.Entry != base+0x1000 {
		t.Errorf("stub jumps to %#x, entry is %#x", got, f.Entry)
	}
	if f.Progs[0].Filesz != 3*phdrSize {
		t.Errorf("PT_PHDR size %d, want %d", f.Progs[0].Filesz, 3*phdrSize)
	}
	if _, err := addBootStub(out, stub); err == nil {
		t.Error("adding a second stub at the same address succeeded")
	}
}

func TestBootStubErrors(t *testing.T) {
	if _, err := addBootStub([]byte("not an elf"), 0x80000000); err == nil {
		t.Error("garbage accepted")
	}
	if _, err := addBootStub(tinyELF(0x80010000), 0x8000fff0); err == nil {
		t.Error("stub overlapping the image accepted")
	}
	full := tinyELF(0x80010000)
	binary.LittleEndian.PutUint64(full[64+phdrSize+8:], 64+2*phdrSize) // first data right after the headers
	if _, err := addBootStub(full, 0x80000000); err == nil {
		t.Error("stub accepted without room for a program header")
	}
}

func TestOptionsErrors(t *testing.T) {
	if err := Build(Options{}); err == nil {
		t.Error("empty Out accepted")
	}
	err := Build(Options{Out: filepath.Join(t.TempDir(), "k.elf"), Progs: []string{"/no/such/prog"}})
	if err == nil || !strings.Contains(err.Error(), "/no/such/prog") {
		t.Errorf("missing program: err = %v", err)
	}
}

// FuzzAddBootStub: any input gives a result or an error, never a panic,
// and a result always has the stub as its lowest segment.
func FuzzAddBootStub(f *testing.F) {
	f.Add(tinyELF(0x80010000))
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := addBootStub(data, 0x80000000)
		if err != nil {
			return
		}
		ef, err := elf.NewFile(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		found := false
		for _, p := range ef.Progs {
			if p.Type == elf.PT_LOAD && p.Vaddr == 0x80000000 {
				found = true
			}
		}
		if !found {
			t.Fatal("no stub segment in the output")
		}
	})
}
