package kernel_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"copslab/boards"
	"copslab/kernel/build"
)

// Programs teachers and students write, run unchanged: each case below
// boots a kernel that embeds compatProgs and compares with what the same
// program does on Linux (kernel/user's tests run them under qemu-user).

var compatProgs = []string{"user/stdcrypto", "user/bigbss", "user/memhog"}

var (
	compatOnce sync.Once
	compatELF  string
	compatErr  error
)

// compatKernel builds the kernel with compatProgs once per test binary
// (TestMain removes its directory).
func compatKernel(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath(qemuBinary); err != nil {
		t.Skipf("%s not installed (scripts/prereqs.sh installs it): %v", qemuBinary, err)
	}
	compatOnce.Do(func() {
		dir, err := os.MkdirTemp("", "copslab-compat-test")
		if err != nil {
			compatErr = err
			return
		}
		compatELF = filepath.Join(dir, "kernel.elf")
		compatErr = build.Build(build.Options{Out: compatELF, Progs: compatProgs})
	})
	if compatErr != nil {
		t.Fatalf("building the kernel: %v", compatErr)
	}
	return compatELF
}

// TestEverydayPrograms: programs that died before main or at a fixed
// memory cap now run as on Linux.
func TestEverydayPrograms(t *testing.T) {
	kernel := compatKernel(t)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, append string
		want         []string
		status       int
	}{
		// crypto/* links a 32 MiB .noptrbss buffer: loaded as demand-zero.
		{"crypto+net/http", "run stdcrypto", []string{`stdcrypto: sha256\("abc"\) = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`,
			`stdcrypto: ok`, `run stdcrypto: exited with status 0`}, 0},
		{"256 MiB .bss", "run bigbss", []string{`bigbss: 256 MiB array, 256 pages touched, sum 32640: ok`, `run bigbss: exited with status 0`}, 0},
		// The frame pool is sized from RAM (320 MiB at 512M), a process may own half of it.
		{"60 MiB program", "run memhog -max 60", []string{`memhog: holding 60 MiB: ok`, `run memhog: exited with status 0`}, 0},
		{"procmem= limit", "procmem=24M run memhog", []string{`run memhog: killed: out of memory \(6144 pages in use\)`}, 137},
		{"bad procmem=", "procmem=lots run memhog", []string{`copslab: boot arguments: procmem=lots: not a size`}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: c.append})...)
			for _, w := range c.want {
				expect(t, m, w)
			}
			wantExit(t, m, c.status)
		})
	}
}
