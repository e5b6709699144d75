package user

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// programs are the main packages below this directory.
var programs = []string{"hello", "gostress", "threads", "pipeping", "execer",
	"nilderef", "spin", "memhog", "sysfuzz", "init", "sh", "switchbench", "timenow", "vdsosched", "coyield", "coprio", "stdcrypto", "bigbss", "osinfo", "tmpfiles", "sigterm", "pipewait", "forkbomb", "threadhog", "recurse", "sigchld"}

// Test layout, made once by TestMain:
//
//	bin/NAME  the linux/riscv64 executables
//	run/NAME  a shell script "exec qemu-riscv64 -0 $0 bin/NAME ...", so a
//	          program that starts another one by path (execer, pipeping,
//	          init, sh) starts it under qemu-user too; each program runs
//	          with argv[0] = run/NAME and finds its siblings beside itself.
var (
	binDir, runDir string
	buildErr       error
	qemu           string // path of qemu-riscv64, "" when missing
)

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "copslab-user-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir, runDir = filepath.Join(tmp, "bin"), filepath.Join(tmp, "run")
	buildErr = buildAll()
	qemu, _ = exec.LookPath("qemu-riscv64")
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// buildAll builds every program with one go command (the toolchain builds
// them in parallel) and writes the qemu-user wrappers.
func buildAll() error {
	args := []string{"build", "-o", binDir + "/"}
	for _, p := range programs {
		args = append(args, "./"+p)
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}
	for _, p := range programs {
		script := fmt.Sprintf("#!/bin/sh\nexec qemu-riscv64 -0 \"$0\" %s \"$@\"\n", filepath.Join(binDir, p))
		if err := os.WriteFile(filepath.Join(runDir, p), []byte(script), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func needBuild(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

func needQemu(t *testing.T) {
	t.Helper()
	needBuild(t)
	if qemu == "" {
		t.Skip("qemu-riscv64 not installed (Debian package qemu-user; scripts/prereqs.sh installs it)")
	}
}

// result is how a program run ended.
type result struct {
	stdout, stderr string
	code           int  // exit status, -1 if killed by a signal
	timedOut       bool // killed by the test's timeout
}

// runOpts are the optional parts of a run.
type runOpts struct {
	stdin   string
	timeout time.Duration
	env     []string
	ulimitV int // KiB of address space (sh's ulimit -v), 0 = none
}

// run starts program name under qemu-user with args and waits for it.
func run(t *testing.T, name string, o runOpts, args ...string) result {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	qargs := append([]string{"-0", filepath.Join(runDir, name), filepath.Join(binDir, name)}, args...)
	var cmd *exec.Cmd
	if o.ulimitV > 0 {
		script := fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, o.ulimitV)
		cmd = exec.CommandContext(ctx, "sh", append([]string{"-c", script, qemu}, qargs...)...)
	} else {
		cmd = exec.CommandContext(ctx, qemu, qargs...)
	}
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), o.env...)
	cmd.Stdin = strings.NewReader(o.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Children (pipeping's, sh's) inherit the pipes; do not wait for them
	// forever once the program itself has gone.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), timedOut: ctx.Err() != nil}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil && !r.timedOut:
		t.Fatalf("run %s: %v", name, err)
	}
	return r
}

func TestProgramsAreStaticRiscv64(t *testing.T) {
	needBuild(t)
	for _, p := range programs {
		f, err := elf.Open(filepath.Join(binDir, p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.Machine != elf.EM_RISCV || f.Class != elf.ELFCLASS64 || f.Type != elf.ET_EXEC {
			t.Errorf("%s: machine %v class %v type %v", p, f.Machine, f.Class, f.Type)
		}
		for _, ph := range f.Progs {
			if ph.Type == elf.PT_INTERP || ph.Type == elf.PT_DYNAMIC {
				t.Errorf("%s: has %v, not static", p, ph.Type)
			}
		}
		f.Close()
	}
}

func TestHello(t *testing.T) {
	needQemu(t)
	r := run(t, "hello", runOpts{}, "one", "two words")
	want := "hello, world\narg 1: one\narg 2: two words\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout %q, want %q (stderr %q)", r.code, r.stdout, want, r.stderr)
	}
}

// expectLine checks that out has a line matching pattern (anchored).
func expectLine(t *testing.T, what, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)^` + pattern + `$`).MatchString(out) {
		t.Errorf("%s: no line matching %q in output:\n%s", what, pattern, out)
	}
}

func TestGostress(t *testing.T) {
	needQemu(t)
	r := run(t, "gostress", runOpts{})
	if r.code != 0 {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	// Sum of n*n%1000003+n for n = 1..20000, computed independently here.
	var sum uint64
	for n := uint64(1); n <= 20000; n++ {
		sum += n*n%1000003 + n
	}
	expectLine(t, "gostress", r.stdout, fmt.Sprintf(`gostress: ok workers=64 items=20000 sum=%d gcs>=5`, sum))
}

func TestThreads(t *testing.T) {
	needQemu(t)
	r := run(t, "threads", runOpts{})
	if r.code != 0 {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	// π(200000) = 17984.
	expectLine(t, "threads", r.stdout, `threads: ok workers=4 threads=4 primes=17984`)
}

func TestPipeping(t *testing.T) {
	needQemu(t)
	r := run(t, "pipeping", runOpts{})
	if r.code != 0 {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	expectLine(t, "pipeping", r.stdout, `pipeping: 100 round trips ok`)
}

func TestExecer(t *testing.T) {
	needQemu(t)
	r := run(t, "execer", runOpts{})
	want := "execer: hello said \"hello, world\" + 2 args, exit 0\nexecer: missing program: error ok\nexecer: ok\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout %q, want %q (stderr %q)", r.code, r.stdout, want, r.stderr)
	}
}

func TestNilderefPanics(t *testing.T) {
	needQemu(t)
	r := run(t, "nilderef", runOpts{})
	if r.code != 2 {
		t.Errorf("exit status %d, want 2 (Go panic)", r.code)
	}
	if r.stdout != "nilderef: dereferencing a nil pointer\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	for _, want := range []string{
		"panic: runtime error: invalid memory address or nil pointer dereference\n",
		"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=",
		"goroutine 1 [running]:\nmain.main()\n",
		"kernel/user/nilderef/main.go:",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestSpinRunsUntilKilled(t *testing.T) {
	needQemu(t)
	r := run(t, "spin", runOpts{timeout: 3 * time.Second})
	if !r.timedOut || r.code != -1 {
		t.Errorf("spin ended by itself (exit %d, timed out %v); it must loop until killed", r.code, r.timedOut)
	}
	if r.stdout != "spin: spinning\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

// TestMemhogHitsLimit bounds memhog with an address-space limit on the
// qemu-user process (ulimit -v, 2 GB: the runtime's reservations and qemu's
// own need ~1.5 GB): it must grow past 64 MiB and then die with the Go
// runtime's out-of-memory error and status 2.
func TestMemhogHitsLimit(t *testing.T) {
	needQemu(t)
	r := run(t, "memhog", runOpts{ulimitV: 2000000, timeout: 60 * time.Second})
	if r.timedOut {
		t.Fatalf("memhog still running after 60 s under ulimit -v; stdout tail %q", tail(r.stdout, 200))
	}
	if r.code != 2 || !strings.Contains(r.stderr, "fatal error: out of memory") {
		t.Errorf("exit %d, want 2 with \"fatal error: out of memory\"; stderr head %q", r.code, head(r.stderr, 300))
	}
	expectLine(t, "memhog", r.stdout, `memhog: 64 MiB`)
}

// TestRecurseOnLinux: runaway recursion on Linux, the reference for
// the kernel's TestEverydayPrograms/stack_overflow. With memory to spare
// (~1 GB resident: the 256 MiB stack and the 512 MiB one it is copied
// into) the runtime reports the 1 GB stack limit; under an address-space
// limit (ulimit -v 2 GB) the doubling fails and the runtime reports
// running out of memory in stackalloc — both with status 2, as on the
// kernel (whose process limit refuses the doubling: "fatal error:
// runtime: out of memory").
func TestRecurseOnLinux(t *testing.T) {
	needQemu(t)
	for _, c := range []struct {
		name    string
		ulimitV int
		want    []string
	}{
		{"unlimited", 0, []string{"runtime: goroutine stack exceeds 1000000000-byte limit\n", "fatal error: stack overflow"}},
		{"ulimit -v", 2000000, []string{"fatal error: out of memory", "runtime.stackalloc("}},
	} {
		r := run(t, "recurse", runOpts{ulimitV: c.ulimitV, timeout: 5 * time.Minute})
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2; stderr head %q", c.name, r.code, head(r.stderr, 300))
		}
		for _, w := range append(c.want, "main.down(") {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q; head %q", c.name, w, head(r.stderr, 300))
			}
		}
	}
}

// TestEverydayProgramsOnLinux: the reference for the kernel's
// TestEverydayPrograms (crypto and net/http imports, a 256 MiB .bss, a
// program that needs 60 MiB, who-am-I calls, /tmp, SIGTERM to itself,
// 200 goroutines on pipes). forkbomb starts its own executable, which
// qemu-user cannot run without binfmt_misc, so it is built here only.
func TestEverydayProgramsOnLinux(t *testing.T) {
	needQemu(t)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"stdcrypto", nil, `stdcrypto: ok`},
		{"bigbss", nil, `bigbss: 256 MiB array, 256 pages touched, sum 32640: ok`},
		{"memhog", []string{"-max", "60"}, `memhog: holding 60 MiB: ok`},
		{"osinfo", nil, `osinfo: ok`},
		{"tmpfiles", nil, `tmpfiles: chdir ok`},
		{"tmpfiles", nil, `tmpfiles: ok`},
		{"sigterm", nil, `sigterm: ok`},
		{"sigchld", nil, `sigchld: ok`},
		{"pipewait", nil, `pipewait: 200 goroutines blocked on pipe reads, 200 jobs served`},
		{"threadhog", nil, `threadhog: 1100 goroutines on their own threads: ok`},
	} {
		r := run(t, c.name, runOpts{}, c.args...)
		if r.code != 0 {
			t.Errorf("%s: exit %d; stderr %q", c.name, r.code, head(r.stderr, 300))
		}
		expectLine(t, c.name, r.stdout, c.want)
	}
}

func TestSysfuzz(t *testing.T) {
	needQemu(t)
	r := run(t, "sysfuzz", runOpts{timeout: 90 * time.Second}, "-qemu-user", "-seed", "1", "-n", "20000")
	if r.code != 0 || r.timedOut {
		t.Errorf("exit %d timed out %v; stderr %q; stdout tail %q", r.code, r.timedOut, head(r.stderr, 500), tail(r.stdout, 500))
	}
	expectLine(t, "sysfuzz", r.stdout, `sysfuzz: seed=1 calls=20000 done`)
	expectLine(t, "sysfuzz", r.stdout, `sysfuzz: ok=\d+ errors=\d+ skipped=\d+`)
}

// TestSwitchbench checks that both measurements complete and report
// positive costs (under qemu-user the counters follow the host clock, so
// the values themselves mean nothing here).
func TestSwitchbench(t *testing.T) {
	needQemu(t)
	r := run(t, "switchbench", runOpts{}, "-n", "300")
	if r.code != 0 {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	expectLine(t, "switchbench", r.stdout, `switchbench: thread switch: [1-9]\d* cycles [1-9]\d* instructions \(600 switches\)`)
	expectLine(t, "switchbench", r.stdout, `switchbench: process switch: [1-9]\d* cycles [1-9]\d* instructions \(600 switches\)`)
}

// TestShellSession drives init → sh with a script: help, a program with
// quoted arguments, ps, a background spin killed through $!, an unknown
// command and exit with a status, which init passes on.
func TestShellSession(t *testing.T) {
	needQemu(t)
	script := "help\nhello x \"y z\"\nps\nspin &\nkill $!\nnosuch\nGREETING=\"hi there\" osinfo GREETING\nexit 3\n"
	r := run(t, "init", runOpts{stdin: script})
	if r.code != 3 {
		t.Errorf("init exit %d, want 3 (the shell's exit status); stderr %q", r.code, r.stderr)
	}
	out := r.stdout
	for _, pattern := range []string{
		`init: starting sh`,
		`\$ commands:`,
		`  kill PID \[SIG\] .*`,
		`\$ hello, world`,
		`arg 1: x`,
		`arg 2: y z`,
		`\$ (  PID   TID STATE PRIO NAME|ps: not supported \(no /proc\))`,
		`\$ \[started \d+\]`,
		`(\$ )?\[signal killed\]`,
		`(\$ )?\[done \d+ status 137\]`,
		`\$ nosuch: not found`,
		`osinfo: GREETING=hi there`,
		`\$ init: sh exited with status 3`,
	} {
		expectLine(t, "shell", out, pattern)
	}
	if strings.Contains(out, "  PID   TID") && !regexp.MustCompile(`(?m)^ *\d+ +\d+ +[A-Z] +-?\d+ \S`).MatchString(out) {
		t.Errorf("ps printed a header but no thread lines:\n%s", out)
	}
}

func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
