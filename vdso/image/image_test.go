package image

import (
	"bytes"
	"debug/elf"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// root is the module root.
func root(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Skip("no go command:", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

var (
	buildOnce sync.Once
	built     *Image
	buildErr  error
)

// image builds the real image once for all tests.
func image(t *testing.T) *Image {
	t.Helper()
	r := root(t)
	buildOnce.Do(func() {
		built, buildErr = Build(Options{Root: r, WorkDir: filepath.Join(t.TempDir(), "work")})
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// TestImageExportsTheHotPath: every function of the scheduler's hot-path
// list is exported (or was inlined into every caller), as are the clock
// entries; the data page follows the file at a page boundary.
func TestImageExportsTheHotPath(t *testing.T) {
	im := image(t)
	names, err := ReadHotPath(filepath.Join(root(t), "sched"))
	if err != nil {
		t.Fatal(err)
	}
	inlined := map[string]bool{}
	for _, s := range im.Inlined {
		inlined[s] = true
	}
	for _, n := range names {
		sym := SchedPkg + "." + n
		if _, ok := im.Exports[sym]; !ok && !inlined[sym] {
			t.Errorf("%s neither exported nor inlined", sym)
		}
	}
	for _, e := range Entries {
		if _, ok := im.Exports[e.Name]; !ok {
			t.Errorf("entry %s not exported", e.Name)
		}
	}
	if im.DataOffset%4096 != 0 || im.DataOffset < uint64(len(im.ELF)) || im.DataOffset >= uint64(len(im.ELF))+4096 {
		t.Errorf("data page at %#x for a %d-byte image", im.DataOffset, len(im.ELF))
	}
	t.Logf("image: %d bytes, %d exports, data page at %#x, inlined: %v, saved registers: %v", len(im.ELF), len(im.Exports), im.DataOffset, im.Inlined, im.Saved)
}

// TestDebugELF: the standard library reads the image as a shared object
// with versioned dynamic symbols at the offsets the builder reports.
func TestDebugELF(t *testing.T) {
	im := image(t)
	f, err := elf.NewFile(bytes.NewReader(im.ELF))
	if err != nil {
		t.Fatal(err)
	}
	if f.Type != elf.ET_DYN || f.Machine != elf.EM_RISCV || f.Class != elf.ELFCLASS64 {
		t.Errorf("type %v machine %v class %v", f.Type, f.Machine, f.Class)
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	if len(syms) != len(im.Exports) {
		t.Errorf("%d dynamic symbols, %d exports", len(syms), len(im.Exports))
	}
	for _, s := range syms {
		want := ExportVersion(s.Name)
		if s.Value != im.Exports[s.Name] || !s.HasVersion || s.Version != want || elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section != textSection {
			t.Errorf("%s: value %#x (want %#x) version %q (want %q) type %v section %v", s.Name, s.Value, im.Exports[s.Name], s.Version, want, elf.ST_TYPE(s.Info), s.Section)
		}
	}
	text := f.Section(".text")
	if text == nil || text.Flags&elf.SHF_EXECINSTR == 0 {
		t.Fatal("no executable .text")
	}
	soname, err := f.DynString(elf.DT_SONAME)
	if err != nil || len(soname) != 1 || soname[0] != Soname {
		t.Errorf("DT_SONAME %v %v", soname, err)
	}
}

// TestCheckerRefusesOutsideReferences: a function that calls the
// runtime or reads a global is refused with the function, the
// instruction and the symbol it reaches for; a masked index passes.
func TestCheckerRefusesOutsideReferences(t *testing.T) {
	r := root(t)
	const pkg = "copslab/vdso/image/testdata/bad"
	for _, c := range []struct{ fn, want string }{
		{"Index", "runtime.panicBounds"},
		{"Global", "copslab/vdso/image/testdata/bad.counter"},
		{"Masked", ""},
	} {
		_, err := Build(Options{Root: r, WorkDir: t.TempDir(), Funcs: []Func{{pkg, c.fn}}})
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.fn, err)
			}
			continue
		}
		var ce *CheckError
		if !errors.As(err, &ce) || ce.Func != pkg+"."+c.fn || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a CheckError naming %s", c.fn, err, c.want)
			continue
		}
		t.Logf("%s: %v", c.fn, err)
	}
}

// TestElfHash: the hashes Go's runtime keeps for the riscv64 vDSO.
func TestElfHash(t *testing.T) {
	for s, h := range map[string]uint32{"LINUX_4.15": 0xae77f75, "__vdso_clock_gettime": 0xd35ec75} {
		if elfHash(s) != h {
			t.Errorf("elfHash(%q) = %#x, want %#x", s, elfHash(s), h)
		}
	}
}
