package gdbtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"copslab/boards"
)

// rtFunc is a function of the runtime layer (kernel/rt/timer.go, compiled
// as $GOROOT/src/runtime/copslab_timer.go) that every boot runs: the
// timer interrupt handler.
const (
	rtFunc = "runtime.bmTimerInterrupt"
	rtFile = "kernel/rt/timer.go"
)

// goroot is the GOROOT of the go command the kernel is built with.
func goroot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command(goTool(), "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestGDBSource: with the command `make debug` prints, a breakpoint in
// the runtime layer shows its kernel/rt source (not "No such file"), and
// the Go runtime's helpers answer `info goroutines`.
func TestGDBSource(t *testing.T) {
	p := profile(t)
	needTools(t, p, true)
	kernel := buildKernel(t)
	_, port := startDebug(t, p, kernel, boards.RunOptions{})
	out := runGDB(t, p, kernel, port, "set pagination off", "break "+rtFunc, "continue", "info source", "list", "info goroutines")
	checkRTSource(t, out)
	checkGoroutines(t, out)
}

// checkRTSource: the stop line is shown with the text of that line of
// kernel/rt, and gdb found the file there.
func checkRTSource(t *testing.T, out string) {
	t.Helper()
	if strings.Contains(out, "No such file or directory") {
		t.Error("gdb could not find a source file")
	}
	root := repoRoot(t)
	if !strings.Contains(out, "Located in "+filepath.Join(root, rtFile)) {
		t.Errorf("info source does not locate %s", rtFile)
	}
	m := regexp.MustCompile(`copslab_timer\.go:(\d+)\n(\d+)\t(.*)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no source line shown at the %s breakpoint", rtFunc)
	}
	src, err := os.ReadFile(filepath.Join(root, rtFile))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(m[1])
	lines := strings.Split(string(src), "\n")
	if m[1] != m[2] || n < 1 || n > len(lines) || lines[n-1] != m[3] {
		t.Errorf("gdb shows line %s as %q, %s has %q", m[2], m[3], rtFile, lines[min(max(n, 1), len(lines))-1])
	}
}

// checkGoroutines: `info goroutines` lists the kernel's goroutines.
func checkGoroutines(t *testing.T, out string) {
	t.Helper()
	g := regexp.MustCompile(`(?m)^[* ] +\d+ (running|runnable|waiting|syscall) +\S+`).FindAllString(out, -1)
	if len(g) < 2 {
		t.Errorf("info goroutines listed %d goroutines, want the kernel's (at least 2)", len(g))
	}
}

var debugBuild struct {
	once      sync.Once
	path, log string
	err       error
}

// buildDebugKernel builds what `make kernel OPT=0` builds (mkkernel
// -debug) with the hello program embedded, once per test binary.
func buildDebugKernel(t testing.TB) string {
	t.Helper()
	buildKernel(t) // makes the private directory
	debugBuild.once.Do(func() {
		debugBuild.path = filepath.Join(kernelBuild.dir, "kernel-debug.elf")
		cmd := exec.Command(goTool(), "run", "./kernel/cmd/mkkernel", "-debug", "-progs", "kernel/user/hello", "-o", debugBuild.path)
		cmd.Dir = repoRoot(t)
		out, err := cmd.CombinedOutput()
		debugBuild.log, debugBuild.err = string(out), err
	})
	if debugBuild.err != nil {
		t.Fatalf("building the debug kernel: %v\n%s", debugBuild.err, debugBuild.log)
	}
	return debugBuild.path
}

// TestGDBDebugBuild: in the OPT=0 kernel `next` moves one source line at
// a time and a function's arguments and result are all shown; an embedded user
// program is debugged at source level after `userprog NAME` (the gdb
// script's command: add-symbol-file with the program's ELF).
func TestGDBDebugBuild(t *testing.T) {
	p := profile(t)
	needTools(t, p, true)
	kernel := buildDebugKernel(t)
	_, port := startDebug(t, p, kernel, boards.RunOptions{Append: "run hello first"})
	out := runGDB(t, p, kernel, port, "set pagination off",
		"break "+breakFunc, "continue", "next", "next", "info args",
		"delete", "userprog hello", "break kernel/user/hello/main.go:17", "continue", "info locals", "list 17,17")
	// main.run's first lines are straight-line code: 57, 58, 59.
	steps := regexp.MustCompile(`(?m)^(\d+)\t`).FindAllStringSubmatch(out, 3)
	if len(steps) < 3 {
		t.Fatalf("no line numbers after break and next")
	}
	a, _ := strconv.Atoi(steps[0][1])
	b, _ := strconv.Atoi(steps[1][1])
	c, _ := strconv.Atoi(steps[2][1])
	if b != a+1 || c != b+1 {
		t.Errorf("next went %d → %d → %d, want one line at a time", a, b, c)
	}
	// main.run's arguments, result included (optimised: ~r0=<optimized out>).
	if args := regexp.MustCompile(`(?s)\nm = .*?\n~r0 = [^\n]*\n`).FindString(out); args == "" || strings.Contains(args, "<optimized out>") {
		t.Errorf("info args of %s: %q, want every value", breakFunc, args)
	}
	if !strings.Contains(out, `add symbol table from file "`) || !strings.Contains(out, "Breakpoint 2, main.main () at "+filepath.Join(repoRoot(t), "kernel/user/hello/main.go")+":17") {
		t.Error("the user program's breakpoint was not hit at its source line")
	}
	if !regexp.MustCompile(`(?m)^i = 0\n`).MatchString(out) || !strings.Contains(out, `a = "first"`) {
		t.Error("the user program's locals are not shown")
	}
	if !strings.Contains(out, "17\t\t\tfmt.Printf(\"arg %d: %s\\n\", i+1, a)") {
		t.Error("list does not show the user program's line 17")
	}
}
