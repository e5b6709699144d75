package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"copslab/workbench/config"
)

// openWith loads the configuration from flags and opens the target.
func openWith(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	config.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	tg, notice, err := openTarget(cfg)
	if err != nil {
		return "", notice, err
	}
	defer tg.Close()
	return tg.Info().Kind, notice, nil
}

// TestAutoFallsBackToSandbox: target auto (make run) opens the sandbox
// when QEMU or the kernel ELF is missing, and the notice says why.
func TestAutoFallsBackToSandbox(t *testing.T) {
	kind, notice, err := openWith(t, "--target", "auto", "--qemu", "/no/such/qemu-system-riscv64")
	if err != nil || kind != "sandbox" || !strings.Contains(notice, "/no/such/qemu-system-riscv64") || !strings.Contains(notice, "not installed") {
		t.Errorf("no QEMU: %s, %q, %v", kind, notice, err)
	}
	kind, notice, err = openWith(t, "--target", "auto", "--qemu", "sh", "--kernel", filepath.Join(t.TempDir(), "none.elf"))
	if err != nil || kind != "sandbox" || !strings.Contains(notice, "none.elf") || !strings.Contains(notice, "make kernel") {
		t.Errorf("no ELF: %s, %q, %v", kind, notice, err)
	}
	kind, notice, err = openWith(t, "--target", "sandbox")
	if err != nil || kind != "sandbox" || !strings.Contains(notice, "chosen") {
		t.Errorf("sandbox by choice: %s, %q, %v", kind, notice, err)
	}
	// Asked for explicitly, a missing ELF is an error, not a fallback.
	if _, _, err := openWith(t, "--target", "qemu", "--kernel", filepath.Join(t.TempDir(), "none.elf")); err == nil {
		t.Error("qemu with a missing ELF opened")
	}
}
