package kernel_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The kernel places processes by the priority of their best ready
// coroutine, read from each process's Local (kernel/proc/cops.go). The
// programs (kernel/user/copsplace) print a line per piece of work; each
// line is a write system call, i.e. a decision of the kernel, so the
// order of the lines on the console is the order of the placements.
// Boots use -icount shift=0 (deterministic guest time).

// copsLine is one line of a copsplace coroutine: pid, priority, line.
type copsLine struct{ pid, prio, n int }

func (l copsLine) String() string { return fmt.Sprintf("%d:p%d:%d", l.pid, l.prio, l.n) }

// copsRun boots runall with the given copsplace argument lists and
// returns the coroutine lines in console order, after checking that every
// copy ran on a Local the kernel mapped and exited with 0.
func copsRun(t *testing.T, procs ...string) []copsLine {
	t.Helper()
	m := bootIcount(t, "runall "+strings.Join(procs, " "))
	expect(t, m, fmt.Sprintf(`runall: %d processes, frames free (\d+) before, (\d+) after`, len(procs)))
	wantExit(t, m, 0)
	out := m.Output()
	if n := strings.Count(out, "Local mapped by the kernel"); n != len(procs) {
		t.Fatalf("%d of %d programs run on a Local mapped by the kernel:\n%s", n, len(procs), out)
	}
	var got []copsLine
	for _, g := range regexp.MustCompile(`copsplace (\d+): prio (\d) line (\d+)`).FindAllStringSubmatch(out, -1) {
		got = append(got, copsLine{atoi(t, g[1]), atoi(t, g[2]), atoi(t, g[3])})
	}
	return got
}

// wantOrder compares the lines with the expected order.
func wantOrder(t *testing.T, got, want []copsLine) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("placement order:\n got %v\nwant %v", got, want)
	}
	t.Logf("order: %v", got)
}

// lines returns n lines of pid at prio, numbered from first.
func lines(pid, prio, first, n int) []copsLine {
	var out []copsLine
	for i := range n {
		out = append(out, copsLine{pid, prio, first + i})
	}
	return out
}

// TestPlaceBestCoroutineFirst: of two processes whose coroutines (at
// priorities 5 and 2) become ready at the same instant, the kernel runs
// the one holding the better coroutine until it is done, though the
// other comes first in turn (it was started first) and both have
// threads of the same nice value.
func TestPlaceBestCoroutineFirst(t *testing.T) {
	got := copsRun(t, "copsplace,-prio,5,-lines,6,-at,300ms", "copsplace,-prio,2,-lines,6,-at,300ms")
	wantOrder(t, got, append(lines(2, 2, 1, 6), lines(1, 5, 1, 6)...))
}

// TestPlacePriorityChange: the better process changes its coroutine's
// priority from 2 to 6 after its third line — a store into its Local
// through the vDSO, no system call. The kernel's next decision places the
// other process (priority 5), which then runs to its end before the first
// one continues. That decision is at the next trap: normally its next
// line's write, or — when the timer's tick lands in the computing before
// that line (the tick's phase follows the host while the guest idles
// until -at) — the tick, so its line 4 comes just before or just after
// the other's six lines.
func TestPlacePriorityChange(t *testing.T) {
	got := copsRun(t, "copsplace,-prio,5,-lines,6,-at,300ms", "copsplace,-prio,2,-lines,6,-at,300ms,-drop,3:6")
	atWrite := append(append(lines(2, 2, 1, 3), copsLine{2, 6, 4}), lines(1, 5, 1, 6)...)
	atTick := append(append(lines(2, 2, 1, 3), lines(1, 5, 1, 6)...), copsLine{2, 6, 4})
	if fmt.Sprint(got) == fmt.Sprint(append(atTick, lines(2, 6, 5, 2)...)) {
		t.Logf("the decision was at a tick before line 4's write")
		wantOrder(t, got, append(atTick, lines(2, 6, 5, 2)...))
		return
	}
	wantOrder(t, got, append(atWrite, lines(2, 6, 5, 2)...))
}

// TestScribblerKilled: a process writing random bytes over its own Local
// is killed with a message naming the corruption; two processes beside
// it finish with all their lines and status 0, and every frame (the
// killed process's Local too) comes back.
func TestScribblerKilled(t *testing.T) {
	m := bootIcount(t, "runall copsplace,-lines,5 copsscribble copsplace,-lines,5")
	g := expect(t, m, `run copsscribble: killed: (process \d+: scheduler state corrupt at byte \d+ of its Local: [^;]*)`)
	t.Logf("%s", g[1])
	g = expect(t, m, `runall: 3 processes, frames free (\d+) before, (\d+) after`)
	if g[1] != g[2] {
		t.Errorf("frames leaked: %s", g[0])
	}
	wantExit(t, m, 137)
	out := m.Output()
	if n := strings.Count(out, "run copsplace: exited with status 0"); n != 2 {
		t.Errorf("%d of 2 copsplace processes exited with 0:\n%s", n, out)
	}
	for _, pid := range []int{1, 3} {
		for i := 1; i <= 5; i++ {
			if !strings.Contains(out, fmt.Sprintf("copsplace %d: prio 4 line %d\n", pid, i)) &&
				!strings.Contains(out, fmt.Sprintf("copsplace %d: prio 4 line %d\r\n", pid, i)) {
				t.Errorf("copsplace %d: line %d missing:\n%s", pid, i, out)
			}
		}
	}
}
