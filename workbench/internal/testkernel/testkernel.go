// Package testkernel builds the copslab kernel once per test binary for
// the workbench's tests against the real kernel in QEMU, with the same
// command `make kernel` runs.
package testkernel

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"copslab/boards"
)

// Progs are the Go user programs the test kernel embeds besides the
// hand-written ones: pipeping (two processes over pipes), threads
// (four threads, futex wakeups), webbench (the pipe web server
// experiment) and copsplace (a process with a coroutine on its Local).
var Progs = []string{"kernel/user/pipeping", "kernel/user/threads", "kernel/user/webbench", "kernel/user/copsplace"}

var build struct {
	once      sync.Once
	dir, path string
	err       error
	log       []byte
}

// Root is the module root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Board loads the board profile make qemu uses and skips the test when
// its QEMU is not installed or with -short.
func Board(t testing.TB) *boards.Profile {
	t.Helper()
	if testing.Short() {
		t.Skip("boots the kernel in QEMU")
	}
	p, err := boards.Load(BoardPath())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath(p.QEMU.Binary); err != nil {
		t.Skipf("%s not installed (scripts/prereqs.sh base installs it)", p.QEMU.Binary)
	}
	return p
}

// BoardPath is the path of the default board profile.
func BoardPath() string { return filepath.Join(Root(), "boards", "qemu-virt.yaml") }

// Build returns the path of the test kernel, building it on first use.
func Build(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "copslab-testkernel-")
		if build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, "kernel.elf")
		cmd := exec.Command(goTool(), "run", "./kernel/cmd/mkkernel", "-o", build.path, "-progs", strings.Join(Progs, " "))
		cmd.Dir = Root()
		build.log, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("building the kernel: %v\n%s", build.err, build.log)
	}
	return build.path
}

// Cleanup removes the build; call it from TestMain after m.Run.
func Cleanup() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}
