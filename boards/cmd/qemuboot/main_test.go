package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const board = "../../qemu-virt.yaml"

func TestPrint(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-board", board, "-kernel", "k.elf", "-append", "selftest", "-print", "-debug", "-gdb-port", "4444", "--", "-d", "int"}, &out, &errb)
	want := "qemu-system-riscv64 -machine virt -m 512M -smp 1 -bios none -nographic -kernel k.elf -append selftest -S -gdb tcp:127.0.0.1:4444 -d int\n"
	if code != 0 || out.String() != want {
		t.Errorf("code %d, printed %q, want %q (stderr %q)", code, out.String(), want, errb.String())
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-board", "nope.yaml"}, "board profile"},
		{[]string{"-board", board, "-kernel", "/nonexistent/kernel.elf"}, "make kernel"},
		{[]string{"-no-such-flag"}, "flag provided but not defined"},
	} {
		var out, errb bytes.Buffer
		if code := run(c.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%q: code %d, stderr %q; want 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
}

// TestDebugRun runs QEMU for real: -version (passed through) makes it
// exit at once, after the gdb attach command was printed.
func TestDebugRun(t *testing.T) {
	if _, err := exec.LookPath("qemu-system-riscv64"); err != nil {
		t.Skipf("qemu-system-riscv64 not installed: %v", err)
	}
	k := filepath.Join(t.TempDir(), "kernel.elf")
	os.WriteFile(k, []byte{0x6f, 0, 0, 0}, 0o644)
	var out, errb bytes.Buffer
	code := run([]string{"-board", board, "-kernel", k, "-debug", "-gdb-port", "4321", "--", "-version"}, &out, &errb)
	if code != 0 {
		t.Errorf("exit code %d", code)
	}
	wantCmd := "gdb-multiarch -q " + k + " -ex 'target remote 127.0.0.1:4321'"
	if !strings.Contains(errb.String(), wantCmd) {
		t.Errorf("stderr %q lacks %q", errb.String(), wantCmd)
	}
}
