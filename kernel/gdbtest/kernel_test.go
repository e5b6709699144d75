package gdbtest

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"copslab/boards"
)

// Names in the kernel the debug test relies on (kernel/kmain keeps them
// for debuggers; see kernel/README.md).
const (
	// breakFunc runs once per boot, after interrupts are started.
	breakFunc = "main.run"
	// globalVar counts timer interrupts; the tick handler increments it.
	globalVar = "main.ticks"
)

// TestGDBKernel is `make debug` plus a scripted gdb session: break on a
// kernel function by name, continue to it, print a Go global, step one
// instruction and one source line, then watch the global until the timer
// interrupt increments it.
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
		"watch '"+globalVar+"'",
		"continue",
		"print '"+globalVar+"'",
		"bt 3",
	)
	checkBreak(t, out)
	checkSteps(t, out)
	checkWatch(t, out)
}

// checkBreak: the breakpoint was set with a source location and hit.
func checkBreak(t *testing.T, out string) {
	t.Helper()
	if !regexp.MustCompile(`Breakpoint 1 at 0x[0-9a-f]+: file \S+\.go, line \d+`).MatchString(out) {
		t.Errorf("breakpoint on %s not set with a source location", breakFunc)
	}
	if !regexp.MustCompile(`Breakpoint 1, (0x[0-9a-f]+ in )?` + regexp.QuoteMeta(breakFunc) + ` \(`).MatchString(out) {
		t.Errorf("breakpoint at %s not hit", breakFunc)
	}
}

// checkSteps: the pc starts in breakFunc, moves with stepi and next, and
// stays in RAM.
func checkSteps(t *testing.T, out string) {
	t.Helper()
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
}

// checkWatch: the global printed as an integer, the watchpoint saw the
// timer handler add one, and the second print shows the new value.
func checkWatch(t *testing.T, out string) {
	t.Helper()
	first, err1 := printed(out, "$1 = ")
	second, err2 := printed(out, "$2 = ")
	if err1 != nil || err2 != nil {
		t.Fatalf("print '%s': %v, %v", globalVar, err1, err2)
	}
	old, errOld := printed(out, "Old value = ")
	nw, errNew := printed(out, "New value = ")
	if errOld != nil || errNew != nil {
		t.Fatalf("watchpoint on %s did not trigger: %v, %v", globalVar, errOld, errNew)
	}
	if old < first || nw != old+1 || second != nw {
		t.Errorf("%s: printed %d, watch saw %d -> %d, printed %d; want a +1 step from at least %d", globalVar, first, old, nw, second, first)
	}
	if !strings.Contains(out, "#0 ") {
		t.Error("no backtrace")
	}
}

// printed parses the integer after prefix in gdb's output.
func printed(out, prefix string) (int64, error) {
	v, ok := field(out, prefix)
	if !ok {
		return 0, &missingError{prefix}
	}
	return strconv.ParseInt(v, 0, 64)
}

type missingError struct{ prefix string }

func (e *missingError) Error() string { return "no line with " + strconv.Quote(e.prefix) }
