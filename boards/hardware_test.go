package boards

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copslab/kernel/fdt"
)

// TestRocketMemoryMap checks the FPGA profile's memory map three ways:
// against its committed device tree (compiled with dtc, read with the
// kernel's own FDT parser — what the kernel does with the tree the boot
// ROM hands it), against the kernel's board packages for it
// (kernel/soc/rocket, kernel/board/axu15eg) and against the runtime
// layer's defaults for the board (kernel/rt/boardcfg_rocket.go). The
// board itself is not here; kernel/board_test.go builds the image.
func TestRocketMemoryMap(t *testing.T) {
	p, err := Load("rocket-axu15eg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := p.Hardware
	if h == nil || p.Board != "rocket" {
		t.Fatalf("not a hardware profile for the rocket kernel: %+v", p)
	}
	if h.UINTR != UINTRHardware || h.Harts != 4 || h.ClockHz != 100e6 {
		t.Errorf("profile: %v, uintr %s", h, h.UINTR)
	}

	t.Run("device tree", func(t *testing.T) {
		tree := compileDTS(t, "rocket-axu15eg.dts")
		mem, err := tree.Memory()
		if err != nil || len(mem) != 1 || mem[0].Base != h.Memory.Base || mem[0].Size != h.Memory.Size {
			t.Errorf("memory %v (%v), profile %#x+%s", mem, err, h.Memory.Base, FormatSize(h.Memory.Size))
		}
		cpus := tree.Find("/cpus")
		if tb, _ := cpus.U32("timebase-frequency"); uint64(tb) != h.Timebase {
			t.Errorf("timebase %d, profile %d", tb, h.Timebase)
		}
		harts := 0
		for _, c := range cpus.Children {
			if isa, ok := c.String("riscv,isa"); ok {
				harts++
				if isa != h.ISA {
					t.Errorf("%s: riscv,isa %q, profile %q", c.Path(), isa, h.ISA)
				}
				if f, _ := c.U32("clock-frequency"); uint64(f) != h.ClockHz {
					t.Errorf("%s: clock %d, profile %d", c.Path(), f, h.ClockHz)
				}
			}
		}
		if harts != h.Harts {
			t.Errorf("%d harts in the tree, profile %d", harts, h.Harts)
		}
		base := func(compatible string, i int) uint64 {
			nodes := tree.Compatible(compatible)
			if len(nodes) <= i {
				t.Errorf("no %s #%d in the tree", compatible, i)
				return 0
			}
			r, err := nodes[i].Reg()
			if err != nil || len(r) == 0 {
				t.Errorf("%s: reg: %v", nodes[i].Path(), err)
				return 0
			}
			return r[0].Base
		}
		for _, c := range []struct {
			name      string
			tree, pro uint64
		}{
			{"console UART", base("sifive,uart0", 0), h.UART},
			{"gdb UART", base("sifive,uart0", 1), h.GDBUART},
			{"CLINT", base("riscv,clint0", 0), h.CLINT},
			{"PLIC", base("riscv,plic0", 0), h.PLIC},
			{"boot ROM", base("sifive,rom0", 0), h.BootROM},
		} {
			if c.tree != c.pro {
				t.Errorf("%s at %#x in the tree, %#x in the profile", c.name, c.tree, c.pro)
			}
		}
		if out, _ := tree.Find("/chosen").String("stdout-path"); !strings.HasSuffix(out, "@"+strconv.FormatUint(h.UART, 16)) {
			t.Errorf("stdout-path %q is not the console UART %#x", out, h.UART)
		}
	})

	t.Run("kernel board packages", func(t *testing.T) {
		soc := goConsts(t, "../kernel/soc/rocket/rocket.go")
		board := goConsts(t, "../kernel/board/axu15eg/axu15eg.go")
		for _, c := range []struct {
			name string
			got  string
			want uint64
		}{
			{"RAM_START", soc["RAM_START"], h.Memory.Base},
			{"RAM_SIZE", board["RAM_SIZE"], h.Memory.Size},
			{"UART0_BASE", soc["UART0_BASE"], h.UART},
			{"UART1_BASE", soc["UART1_BASE"], h.GDBUART},
			{"CLINT_BASE", soc["CLINT_BASE"], h.CLINT},
			{"PLIC_BASE", soc["PLIC_BASE"], h.PLIC},
			{"BOOTROM_BASE", soc["BOOTROM_BASE"], h.BootROM},
			{"RTCCLK", soc["RTCCLK"], h.Timebase},
		} {
			if v, err := strconv.ParseUint(c.got, 0, 64); err != nil || v != c.want {
				t.Errorf("%s = %q, profile %#x", c.name, c.got, c.want)
			}
		}
		if got := soc["UINTRBackend"]; got != strconv.Quote(h.UINTR) {
			t.Errorf("UINTRBackend = %s, profile %q", got, h.UINTR)
		}
	})

	t.Run("runtime defaults", func(t *testing.T) {
		cfg := compositeFields(t, "../kernel/rt/boardcfg_rocket.go", "bmBoardDefault")
		for _, c := range []struct {
			field string
			want  uint64
		}{{"uart", h.UART}, {"clint", h.CLINT}, {"timebase", h.Timebase}} {
			if v, err := strconv.ParseUint(cfg[c.field], 0, 64); err != nil || v != c.want {
				t.Errorf("bmBoardDefault.%s = %q, profile %#x", c.field, cfg[c.field], c.want)
			}
		}
		if cfg["uartKind"] != "bmUartSiFive" {
			t.Errorf("bmBoardDefault.uartKind = %q, want bmUartSiFive", cfg["uartKind"])
		}
	})
}

// compileDTS compiles a committed .dts with dtc and parses the blob.
func compileDTS(t *testing.T, dts string) *fdt.Tree {
	t.Helper()
	if _, err := exec.LookPath("dtc"); err != nil {
		t.Skip("dtc not installed (scripts/prereqs.sh base installs device-tree-compiler)")
	}
	dtb := filepath.Join(t.TempDir(), "board.dtb")
	if out, err := exec.Command("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts).CombinedOutput(); err != nil {
		t.Fatalf("dtc %s: %v\n%s", dts, err, out)
	}
	blob, err := os.ReadFile(dtb)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := fdt.Parse(blob)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// goConsts returns the constants of a Go file whose value is one literal.
func goConsts(t *testing.T, path string) map[string]string {
	t.Helper()
	f := parseGo(t, path)
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						out[name.Name] = lit.Value
					}
				}
			}
		}
		return true
	})
	return out
}

// compositeFields returns the keyed fields of the composite literal that
// initialises variable name in a Go file, as source text.
func compositeFields(t *testing.T, path, name string) map[string]string {
	t.Helper()
	f := parseGo(t, path)
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != name || len(vs.Values) != 1 {
			return true
		}
		if cl, ok := vs.Values[0].(*ast.CompositeLit); ok {
			for _, e := range cl.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					k := kv.Key.(*ast.Ident).Name
					switch v := kv.Value.(type) {
					case *ast.BasicLit:
						out[k] = v.Value
					case *ast.Ident:
						out[k] = v.Name
					}
				}
			}
		}
		return false
	})
	if len(out) == 0 {
		t.Fatalf("%s: no composite literal for %s", path, name)
	}
	return out
}

func parseGo(t *testing.T, path string) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLoadHardwareBroken: broken hardware sections are reported at
// their line.
func TestLoadHardwareBroken(t *testing.T) {
	good, err := os.ReadFile("rocket-axu15eg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lineOfText := func(text, s string) string {
		for i, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), s) {
				return strconv.Itoa(i + 1)
			}
		}
		t.Fatalf("%q not in the profile", s)
		return ""
	}
	cases := []struct{ old, new, at, want string }{
		{"isa: rv64imafdcn", "isa: rv64imafdc", "uintr: n-extension", "hardware.uintr: n-extension needs the N extension"},
		{"isa: rv64imafdcn", "isa: rv64imacn", "isa: rv64imacn", `hardware.isa: "rv64imacn" has no D extension`},
		{"uart: 0x10020000 ", "uart: 0x80001000 ", "uart: 0x80001000", "hardware.uart: 0x80001000 lies inside memory"},
		{"uintr: n-extension", "uintr: magic", "uintr: magic", `hardware.uintr: "magic": want n-extension or emulated`},
		{"harts: 4", "harts: 0", "harts: 0", "hardware.harts: = 0, want 1..512"},
		{"    size: 1G", "    size: 1", "size: 1", `hardware.memory.size: size "1" has no unit`},
		{"  clint: 0x2000000\n", "", "hardware:", "hardware.clint: missing required key"},
		{"kernel:\n", "qemu:\n  binary: q\n  machine: virt\nkernel:\n", "qemu:", "qemu: a profile describes a QEMU machine (qemu:) or a hardware board (hardware:), not both"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		text := strings.Replace(string(good), c.old, c.new, 1)
		if text == string(good) {
			t.Fatalf("case %d: %q not found", i, c.old)
		}
		line := lineOfText(text, c.at)
		path := filepath.Join(dir, strconv.Itoa(i)+".yaml")
		os.WriteFile(path, []byte(text), 0o644)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+":"+line+": "+c.want) {
			t.Errorf("case %d: error %v\nwant %s:%s: %s", i, err, path, line, c.want)
		}
	}
}
