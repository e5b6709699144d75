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

var compatProgs = []string{"user/stdcrypto", "user/bigbss", "user/memhog", "user/osinfo", "user/tmpfiles", "user/sigterm", "user/forkbomb", "user/pipewait", "user/threadhog", "user/sh", "user/recurse", "user/sigchld"}

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
		// Who and where: uname, getcwd, readlinkat(/proc/self/exe), getuid…, the environment.
		{"os.Hostname/Getwd/Executable/Getuid", "run osinfo", []string{`osinfo: hostname copslab`, `osinfo: cwd /`,
			`osinfo: executable /bin/osinfo`, `osinfo: uid 0 gid 0 euid 0 egid 0`, `osinfo: PATH=/bin HOME=/ TERM=vt100`,
			`osinfo: ok`, `run osinfo: exited with status 0`}, 0},
		// /tmp: a RAM file system.
		{"/tmp round trip", "run tmpfiles", []string{`tmpfiles: round trip of 100000 bytes ok`, `tmpfiles: chdir ok`, `tmpfiles: ok`,
			`run tmpfiles: exited with status 0`}, 0},
		// SIGTERM to itself while the main thread sleeps in futex: signal.Notify sees it.
		{"SIGTERM with signal.Notify", "run sigterm", []string{`sigterm: got terminated \(kill\)`,
			`sigterm: got terminated \(os.Process.Signal\)`, `sigterm: ok`, `run sigterm: exited with status 0`}, 0},
		// A child's exit sends SIGCHLD to a parent that handles it.
		{"SIGCHLD", "run sigchld", []string{`sigchld: child exited with 0, SIGCHLD received`, `sigchld: ok`,
			`run sigchld: exited with status 0`}, 0},
		// A fork bomb stops with ENOMEM; no child is killed for the others' memory.
		{"fork bomb", "run forkbomb", []string{`forkbomb: \d+ children, then: fork/exec /bin/forkbomb: cannot allocate memory`,
			`forkbomb: all \d+ exited with 0`, `run forkbomb: exited with status 0`}, 0},
		// 200 goroutines blocked on pipe reads: TestPipesOnThePoller.
		// Past proc.MaxThreads: a report and the end, not a hang (Go's riscv64 clone ignores EAGAIN).
		{"thread limit", "run threadhog", []string{`run threadhog: killed: thread limit: clone of thread 1025 refused \(proc.MaxThreads\)`}, 137},
		// Runaway recursion: the stack doubling that cannot fit is refused (mmap ENOMEM) and Go
		// ends the program itself, status 2 (Linux with ~1 GiB to spare: "goroutine stack exceeds").
		{"stack overflow", "run recurse", []string{`recurse: going down`, `fatal error: runtime: out of memory`,
			`main\.down\(`, `run recurse: exited with status 2`}, 2},
		{"bad procmem=", "procmem=lots run memhog", []string{`copslab: boot arguments: procmem=lots: not a size`}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: c.append})...)
			for _, w := range c.want {
				t.Logf("%s", expect(t, m, w)[0])
			}
			wantExit(t, m, c.status)
		})
	}
}
