package gdbtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// repoRoot is the module root, two levels above this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	return root
}

// profile loads the board profile make debug uses.
func profile(t testing.TB) *boards.Profile {
	t.Helper()
	p, err := boards.Load(filepath.Join(repoRoot(t), "boards", "qemu-virt.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// needTools skips unless the board's QEMU and gdb are installed.
func needTools(t testing.TB, p *boards.Profile, gdb bool) {
	t.Helper()
	bins := []string{p.QEMU.Binary}
	if gdb {
		bins = append(bins, p.GDB.Binary)
	}
	for _, b := range bins {
		if _, err := exec.LookPath(b); err != nil {
			t.Skipf("%s not installed (scripts/prereqs.sh base installs it): %v", b, err)
		}
	}
}

// TestMain removes the kernel build directory after all tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if kernelBuild.dir != "" {
		os.RemoveAll(kernelBuild.dir)
	}
	os.Exit(code)
}

var kernelBuild struct {
	dir  string
	once sync.Once
	path string
	log  string
	err  error
}

// buildKernel builds the kernel once per test binary with the same
// command `make kernel` runs, into a private directory.
func buildKernel(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "kernel", "cmd", "mkkernel")); err != nil {
		t.Skipf("kernel/cmd/mkkernel not present yet: %v", err)
	}
	kernelBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "copslab-gdbtest-")
		if err != nil {
			kernelBuild.err = err
			return
		}
		kernelBuild.dir = dir
		kernelBuild.path = filepath.Join(dir, "kernel.elf")
		cmd := exec.Command(goTool(), "run", "./kernel/cmd/mkkernel", "-o", kernelBuild.path)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		kernelBuild.log, kernelBuild.err = string(out), err
	})
	if kernelBuild.err != nil {
		t.Fatalf("building the kernel: %v\n%s", kernelBuild.err, kernelBuild.log)
	}
	return kernelBuild.path
}

// goTool is the go command: from PATH, else where the Makefile expects it.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}

// freePort asks the kernel for an unused loopback TCP port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startDebug boots kernel halted with a gdb stub on a free port, exactly
// as `make debug` does, and waits until the stub accepts connections.
func startDebug(t testing.TB, p *boards.Profile, kernel string, o boards.RunOptions) (*qemu.Machine, int) {
	t.Helper()
	o.Debug, o.GDBPort = true, freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	m, err := qemu.Start(ctx, p.QEMU.Binary, p.QEMUArgs(kernel, o))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Kill(); cancel() })
	waitListening(t, m, fmt.Sprintf("127.0.0.1:%d", o.GDBPort))
	return m, o.GDBPort
}

// runGDB runs the board's attach command (Profile.GDBCommand, the one
// qemuboot prints) in batch mode with extra -ex commands and returns the
// combined output.
func runGDB(t testing.TB, p *boards.Profile, kernel string, port int, cmds ...string) string {
	t.Helper()
	return runGDBArgv(t, p.GDBCommand(kernel, port), cmds...)
}

// runGDBArgv runs the gdb command argv with -batch -nx and -ex cmds.
func runGDBArgv(t testing.TB, argv []string, cmds ...string) string {
	t.Helper()
	args := []string{"-batch", "-nx"}
	for _, a := range argv[1:] {
		if a != "" { // no kernel: no symbol file
			args = append(args, a)
		}
	}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], args...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("$ %s\n%s", boards.ShellQuote(append([]string{argv[0]}, args...)), out)
	if ctx.Err() != nil {
		t.Fatalf("gdb timed out")
	}
	if err != nil {
		t.Fatalf("gdb: %v", err)
	}
	return string(out)
}

// waitListening polls addr until a TCP connect succeeds or m exits.
func waitListening(t testing.TB, m *qemu.Machine, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close() // QEMU's stub listens again after a client leaves
			return
		}
		select {
		case <-m.Done():
			t.Fatalf("QEMU exited before its gdb stub listened:\n%s", m.Output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("gdb stub on %s not listening after 20s: %v\nconsole:\n%s", addr, err, m.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// field returns the text after prefix on the first line that has it.
func field(out, prefix string) (string, bool) {
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, prefix); i >= 0 {
			return strings.TrimSpace(l[i+len(prefix):]), true
		}
	}
	return "", false
}
