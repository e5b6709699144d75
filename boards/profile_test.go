package boards

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadVirt(t *testing.T) {
	p, err := Load("qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "qemu-virt" || p.QEMU.Binary != "qemu-system-riscv64" || p.QEMU.Machine != "virt" {
		t.Errorf("profile = %+v", p)
	}
	if p.QEMU.Memory != 512<<20 || p.QEMU.CPUs != 1 || p.QEMU.BIOS != "none" || !p.QEMU.NoGraphic {
		t.Errorf("qemu section = %+v", p.QEMU)
	}
	if p.GDB.Binary != "gdb-multiarch" || p.GDB.Port != 1234 {
		t.Errorf("gdb section = %+v", p.GDB)
	}
}

const goodProfile = `name: t
qemu:
  binary: qemu-system-riscv64
  machine: virt
  memory: 512M
  cpus: 1
  bios: none
  nographic: true
  kernel_args: ["-kernel", "{kernel}"]
gdb:
  binary: gdb-multiarch
  port: 1234
`

// TestLoadBroken feeds broken variants of a good profile and checks that
// each error is "file:line: ..." at the offending line and names the
// problem.
func TestLoadBroken(t *testing.T) {
	cases := []struct {
		name, old, new string
		want           []string // one "LINE: text" per expected error
	}{
		{"unknown top key", "name: t\n", "name: t\nmemry: 1G\n", []string{"2: memry: unknown key"}},
		{"unknown nested key", "  cpus: 1\n", "  cpus: 1\n  cpu: 2\n", []string{"7: qemu.cpu: unknown key"}},
		{"missing machine", "  machine: virt\n", "", []string{"2: qemu.machine: missing required key"}},
		{"missing gdb", "gdb:\n  binary: gdb-multiarch\n  port: 1234\n", "", []string{"1: gdb.binary: missing", "1: gdb.port: missing"}},
		{"no unit", "memory: 512M", "memory: 512", []string{"5: qemu.memory: size \"512\" has no unit"}},
		{"bad unit", "memory: 512M", "memory: 512Q", []string{"5: qemu.memory: size \"512Q\": unknown unit"}},
		{"zero memory", "memory: 512M", "memory: 0M", []string{"5: qemu.memory: size \"0M\": want a positive number"}},
		{"garbage memory", "memory: 512M", "memory: lots", []string{"5: qemu.memory:"}},
		{"zero cpus", "cpus: 1", "cpus: 0", []string{"6: qemu.cpus: = 0, want 1..512"}},
		{"cpus not a number", "cpus: 1", "cpus: one", []string{"6: 'qemu.cpus' cannot parse"}},
		{"bad port", "port: 1234", "port: 70000", []string{"12: gdb.port: = 70000"}},
		{"no placeholder", `["-kernel", "{kernel}"]`, `["-kernel", "k.elf"]`, []string{"9: qemu.kernel_args: [\"-kernel\" \"k.elf\"] must mention {kernel}"}},
		{"yaml syntax", "name: t\n", "name: [t\n", []string{"1: While parsing config: yaml"}},
		{"yaml syntax later", "  bios: none\n", "  bios: none: x\n", []string{"7: While parsing config: yaml: line 7: mapping values"}},
		{"two problems", "cpus: 1", "cpus: 0\n  speed: 9", []string{"7: qemu.speed: unknown key"}},
		{"unknown board", "name: t\n", "name: t\nkernel:\n  board: pdp11\n", []string{"3: kernel.board: \"pdp11\" is not a kernel board (known: rocket, sifive_u, virt)"}},
		{"two values", "port: 1234", "port: 0", []string{"6: qemu.cpus: = 0", "12: gdb.port: = 0"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(goodProfile, c.old, c.new, 1)
			if c.name == "two values" {
				text = strings.Replace(text, "cpus: 1", "cpus: 0", 1)
			}
			if text == goodProfile {
				t.Fatalf("replacement %q not found", c.old)
			}
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load accepted:\n%s", text)
			}
			for _, w := range c.want {
				line, rest, _ := strings.Cut(w, ": ")
				prefix := path + ":" + line + ": "
				found := false
				for _, l := range strings.Split(err.Error(), "\n") {
					if strings.HasPrefix(l, prefix) && strings.Contains(l, rest) {
						found = true
					}
				}
				if !found {
					t.Errorf("error\n%s\nhas no line starting %q containing %q", err, prefix, rest)
				}
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(l, path+":") {
					t.Errorf("error line %q does not start with file:line", l)
				}
			}
		})
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte(goodProfile), 0o644)
	if _, err := Load(good); err != nil {
		t.Errorf("good profile rejected: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "absent.yaml")); err == nil {
		t.Error("missing file accepted")
	}
}

// TestLoadSifiveU: the sifive_u profile builds the sifive_u kernel and
// powers off through semihosting.
func TestLoadSifiveU(t *testing.T) {
	p, err := Load("qemu-sifive_u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Board != "sifive_u" || p.QEMU.Machine != "sifive_u" || p.QEMU.CPUs != 2 {
		t.Errorf("profile = %+v", p)
	}
	got := ShellQuote(p.QEMUArgs("out/kernel-sifive_u.elf", RunOptions{Append: "selftest"}))
	want := "-machine sifive_u -m 512M -smp 2 -bios none -nographic -kernel out/kernel-sifive_u.elf -append selftest -semihosting-config enable=on,target=native"
	if got != want {
		t.Errorf("args\n got %s\nwant %s", got, want)
	}
	if v := loadVirt(t); v.Board != "virt" {
		t.Errorf("virt profile board = %q", v.Board)
	}
}

func TestSize(t *testing.T) {
	for in, want := range map[string]uint64{"512M": 512 << 20, "2G": 2 << 30, "64K": 64 << 10, "1GiB": 1 << 30} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "M", "12", "-1M", "1.5G", "99999999999999999999T", "20000000T"} {
		if n, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want error", in, n)
		}
	}
	for b, want := range map[uint64]string{512 << 20: "512M", 2 << 30: "2G", 1536 << 20: "1536M", 100: "100"} {
		if got := FormatSize(b); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", b, got, want)
		}
	}
}

func loadVirt(t *testing.T) *Profile {
	t.Helper()
	p, err := Load("qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQEMUArgs(t *testing.T) {
	p := loadVirt(t)
	base := []string{"-machine", "virt", "-m", "512M", "-smp", "1", "-bios", "none", "-nographic", "-kernel", "out/kernel.elf"}
	cases := []struct {
		name string
		o    RunOptions
		want []string
	}{
		{"plain", RunOptions{}, base},
		{"append", RunOptions{Append: "selftest quiet"}, append(append([]string{}, base...), "-append", "selftest quiet")},
		{"debug default port", RunOptions{Debug: true}, append(append([]string{}, base...), "-S", "-gdb", "tcp:127.0.0.1:1234")},
		{"debug port", RunOptions{Debug: true, GDBPort: 4321, Extra: []string{"-d", "int"}},
			append(append([]string{}, base...), "-S", "-gdb", "tcp:127.0.0.1:4321", "-d", "int")},
		{"explicit host", RunOptions{Debug: true, GDBPort: 1, GDBHost: "0.0.0.0"}, append(append([]string{}, base...), "-S", "-gdb", "tcp:0.0.0.0:1")},
		{"ipv6 loopback", RunOptions{Debug: true, GDBPort: 9, GDBHost: "::1"}, append(append([]string{}, base...), "-S", "-gdb", "tcp:[::1]:9")},
	}
	for _, c := range cases {
		if got := p.QEMUArgs("out/kernel.elf", c.o); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	// The plain command is what the profile produces (modulo -smp 1).
	plain := "qemu-system-riscv64 " + ShellQuote(p.QEMUArgs("out/kernel.elf", RunOptions{Append: "selftest"}))
	want := "qemu-system-riscv64 -machine virt -m 512M -smp 1 -bios none -nographic -kernel out/kernel.elf -append selftest"
	if plain != want {
		t.Errorf("plain command\n got %s\nwant %s", plain, want)
	}
}

func TestGDBCommand(t *testing.T) {
	p := loadVirt(t)
	got := p.GDBCommand("out/kernel.elf", 0)
	want := []string{"gdb-multiarch", "-q", "out/kernel.elf", "-ex", "target remote 127.0.0.1:1234"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GDBCommand = %q, want %q", got, want)
	}
	if s := ShellQuote(p.GDBCommand("my kernel.elf", 5555)); s != "gdb-multiarch -q 'my kernel.elf' -ex 'target remote 127.0.0.1:5555'" {
		t.Errorf("quoted: %s", s)
	}
	if s := ShellQuote([]string{"it's", ""}); s != `'it'\''s' ''` {
		t.Errorf("quote: %s", s)
	}
}
