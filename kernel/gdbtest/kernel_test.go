package gdbtest

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"copslab/boards"
)

// Names in the kernel the debug test relies on (kernel/README.md lists
// them as stable for debugging).
const (
	// breakFunc is a kernel function that runs during every boot.
	breakFunc = "main.main"
	// globalVar is a Go global of the kernel with a known value at
	// breakFunc: the runtime's P count, 1 because the kernel's runtime
	// is single-threaded (GOMAXPROCS clamped, one hart).
	globalVar   = "runtime.gomaxprocs"
	globalValue = 1
)

// TestGDBKernel is `make debug` plus a scripted gdb session: break on a
// kernel function by name, continue to it, print a Go global, step one
// instruction and a source line, and check what gdb reports.
func TestGDBKernel(t *testing.T) {
	p := profile(t)
	needTools(t, p, true)
	kernel := buildKernel(t)
	_, port := startDebug(t, p, kernel, boards.RunOptions{})
	out := runGDB(t, p, kernel, port,
		"set pagination off",
		"set confirm off",
		"break "+breakFunc,
		"continue",
		"print '"+globalVar+"'",
		"info registers pc",
		"stepi",
		"info registers pc",
		"next",
		"info registers pc",
		"bt 3",
	)
	// 1. The breakpoint was set on the function, with a source location, and hit.
	if !regexp.MustCompile(`Breakpoint 1 at 0x[0-9a-f]+: file .+\.go, line \d+`).MatchString(out) {
		t.Errorf("breakpoint on %s not set with a source location", breakFunc)
	}
	if !regexp.MustCompile(`Breakpoint 1, (0x[0-9a-f]+ in )?` + regexp.QuoteMeta(breakFunc) + ` \(`).MatchString(out) {
		t.Errorf("breakpoint at %s not hit", breakFunc)
	}
	// 2. The global printed with its expected value.
	v, ok := field(out, "$1 = ")
	if n, err := strconv.ParseInt(v, 0, 64); !ok || err != nil || n != globalValue {
		t.Errorf("print '%s' gave %q, want %d", globalVar, v, globalValue)
	}
	// 3. The pc moves with stepi and next, and stays in kernel text.
	pcs := regexp.MustCompile(`(?m)^pc\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+ <([^>+]+))?`).FindAllStringSubmatch(out, -1)
	if len(pcs) != 3 {
		t.Fatalf("found %d `info registers pc` lines, want 3", len(pcs))
	}
	if pcs[0][3] != breakFunc {
		t.Errorf("pc at the breakpoint is in %q, want %s", pcs[0][3], breakFunc)
	}
	if pcs[0][1] == pcs[1][1] || pcs[1][1] == pcs[2][1] {
		t.Errorf("pc did not change with stepi/next: %s, %s, %s", pcs[0][1], pcs[1][1], pcs[2][1])
	}
	for _, pc := range pcs {
		if a, _ := strconv.ParseUint(pc[1], 0, 64); a < 0x80000000 || a >= 0xa0000000 {
			t.Errorf("pc %s outside RAM", pc[1])
		}
	}
	if !strings.Contains(out, "#0 ") {
		t.Error("no backtrace")
	}
}
