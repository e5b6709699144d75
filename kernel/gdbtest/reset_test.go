package gdbtest

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"copslab/boards"
)

// TestGDBResetVector checks the harness itself without a kernel: on a
// halted virt machine gdb sees the reset ROM at 0x1000, and stepi
// advances the pc by one instruction.
func TestGDBResetVector(t *testing.T) {
	p := profile(t)
	needTools(t, p, true)
	// A raw image of one instruction, `j .` (0x0000006f), loaded at
	// 0x80000000; the hart starts in the reset ROM and never gets there.
	img := filepath.Join(t.TempDir(), "loop.bin")
	if err := os.WriteFile(img, []byte{0x6f, 0, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	_, port := startDebug(t, p, img, boards.RunOptions{})
	// No symbols: name the architecture instead of loading a file.
	out := runGDB(t, p, "", port, "set architecture riscv:rv64",
		"info registers pc", "stepi", "info registers pc")
	pcs := regexp.MustCompile(`(?m)^pc\s+(0x[0-9a-f]+)`).FindAllStringSubmatch(out, -1)
	if len(pcs) != 2 || pcs[0][1] != "0x1000" || pcs[1][1] != "0x1004" {
		t.Errorf("pc before/after stepi = %q, want 0x1000 then 0x1004", pcs)
	}
}
