package gdbtest

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// TestMakeDebug runs what `make debug` runs — boards/cmd/qemuboot -debug —
// takes the gdb-multiarch command it prints, and runs exactly that
// command (plus -batch and a few -ex) against the halted kernel.
func TestMakeDebug(t *testing.T) {
	p := profile(t)
	needTools(t, p, true)
	kernel := buildKernel(t)
	root := repoRoot(t)
	qemuboot := filepath.Join(t.TempDir(), "qemuboot")
	build := exec.Command(goTool(), "build", "-o", qemuboot, "./boards/cmd/qemuboot")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building qemuboot: %v\n%s", err, out)
	}
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	m, err := qemu.Start(ctx, qemuboot, []string{
		"-board", filepath.Join(root, "boards", "qemu-virt.yaml"),
		"-kernel", kernel, "-debug", "-gdb-port", strconv.Itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Kill()
	line, err := m.Expect(regexp.MustCompile(`(?m)^\s*gdb-multiarch .*$`), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	argv, err := splitShell(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("printed command %q: %v", line, err)
	}
	want := []string{"gdb-multiarch", "-q", "-iex", "add-auto-load-safe-path " + goroot(t) + "/src/runtime/runtime-gdb.py",
		kernel, "-x", kernel + ".gdb", "-ex", "target remote 127.0.0.1:" + strconv.Itoa(port)}
	if strings.Join(argv, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("printed command %q, want %q", argv, want)
	}
	waitListening(t, m, "127.0.0.1:"+strconv.Itoa(port))
	out := runGDBArgv(t, argv, "break "+breakFunc, "continue", "print '"+globalVar+"'", "info registers pc")
	checkBreak(t, out)
	if n, err := printed(out, "$1 = "); err != nil || n < 0 {
		t.Errorf("print '%s': %d, %v", globalVar, n, err)
	}
}

// splitShell splits a line written by boards.ShellQuote: words separated
// by spaces, single quotes, and '\” for a quote inside quotes.
func splitShell(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errUnterminated
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

var errUnterminated = &missingError{"closing quote"}

func TestSplitShell(t *testing.T) {
	in := []string{"gdb", "a b", "it's", "", "x"}
	got, err := splitShell(boards.ShellQuote(in))
	if err != nil || strings.Join(got, "|") != strings.Join(in, "|") {
		t.Errorf("round trip = %q, %v", got, err)
	}
	if _, err := splitShell("a 'b"); err == nil {
		t.Error("unterminated quote accepted")
	}
}
