//go:build !ci

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/gdbstub/proxy"
	"copslab/workbench/internal/testkernel"
)

// TestOSAwareProxyWithGDB: gdb-multiarch through `copslab gdbproxy
// --kernel` lists the kernel's threads in `info threads` and, after
// `thread N`, unwinds that thread's user stack from its saved registers
// (with the user program's symbols loaded).
func TestOSAwareProxyWithGDB(t *testing.T) {
	p := testkernel.Board(t)
	if _, err := exec.LookPath(p.GDB.Binary); err != nil {
		t.Skipf("%s not installed", p.GDB.Binary)
	}
	// The threads program built exactly as the kernel build does, for its symbols.
	prog := buildUserProg(t, "threads")
	ctx, kernel, listen, done := startOSProxy(t, p, "run threads")
	gdb := exec.CommandContext(ctx, p.GDB.Binary, "-batch", "-nx", kernel,
		"-ex", "target remote "+listen,
		"-ex", "break copslab/kernel/ktrace.Block", // a thread is about to wait
		"-ex", "continue", "-ex", "continue", "-ex", "continue", "-ex", "delete",
		"-ex", "add-symbol-file "+prog,
		"-ex", "info threads",
		"-ex", "thread 3",
		"-ex", "bt",
		"-ex", "kill")
	out, err := gdb.CombinedOutput() // exits 1: kill ends the connection
	text := string(out)
	if ctx.Err() != nil {
		t.Fatalf("gdb: %v (timed out)\n%s", err, text)
	}
	for _, re := range []string{
		`\* 1 +Thread 1 \(hart 0: .*copslab/kernel/ktrace\.Block`,
		`\n +2 +Thread 2 \(pid 1 \(threads\) tid 1 (Ready|Running|Blocked) prio 4\) +\S`,
		`\n +3 +Thread 3 \(pid 1 \(threads\) tid 2 (Ready|Running|Blocked) prio 4\) +\S`,
		`Switching to thread 3 \(Thread 3\)\]\n#0 +(0x[0-9a-f]+ in )?runtime\.\S+ \(`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("gdb output lacks %s:\n%s", re, text)
		}
	}
	// gdb's kill ended QEMU: the proxy ends too, saying why.
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "went away") {
			t.Errorf("proxy after QEMU exited: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("proxy still serving 30 s after QEMU exited")
	}
	t.Logf("gdb:\n%s", text[strings.Index(text, "  Id"):])
}

// buildUserProg builds kernel/user/<name> as the kernel build does, for
// its symbols (gdb's add-symbol-file).
func buildUserProg(t *testing.T, name string) string {
	prog := filepath.Join(t.TempDir(), name)
	build := exec.Command("go", "build", "-o", prog, ".")
	build.Dir = filepath.Join(testkernel.Root(), "kernel", "user", name)
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the %s program: %v\n%s", name, err, out)
	}
	return prog
}

// startOSProxy boots the test kernel with the command line app under
// QEMU with its gdb stub and serves the OS-aware proxy on a free
// loopback port. It returns the test's context (3 minutes), the kernel
// ELF, the proxy's address and the channel runOSProxy's result arrives
// on. extra goes to QEMU. QEMU is killed when the test ends.
func startOSProxy(t *testing.T, p *boards.Profile, app string, extra ...string) (context.Context, string, string, chan error) {
	kernel := testkernel.Build(t)
	stub := freeAddr(t)
	_, port, _ := net.SplitHostPort(stub)
	var portN int
	fmt.Sscan(port, &portN)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	m, err := qemu.Start(ctx, p.QEMU.Binary, p.QEMUArgs(kernel, boards.RunOptions{Append: app, Debug: true, GDBPort: portN, Extra: extra}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Kill)
	listen := freeAddr(t)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		var err error
		for i := 0; i < 100; i++ { // until QEMU's stub listens
			err = runOSProxy(ctx, proxy.Options{Listen: listen, Target: stub, Quiet: true}, kernel, io.Discard, func(a string) { ready <- a })
			if err == nil || !strings.Contains(err.Error(), "connecting to the stub") {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		done <- err
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("proxy: %v\n%s", err, m.Output())
	case <-time.After(time.Minute):
		t.Fatal("proxy not listening after a minute")
	}
	return ctx, kernel, listen, done
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
