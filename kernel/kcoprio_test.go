package kernel_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestKernelCoprioOrder: the priority experiment on the serial port in
// the kernel (-append "kcoprio"): eight kernel coroutines spawned worst
// first at one instant, run by the kernel's executor, print in priority
// order, and the latency to each priority's first line grows with the
// priority number. Same table as the user program coprio
// (TestCoprioOrder).
func TestKernelCoprioOrder(t *testing.T) {
	const lines = 3
	m := bootIcount(t, "kcoprio -lines 3")
	expect(t, m, `kcoprio: order follows priority: ok`)
	wantExit(t, m, 0)
	checkPrioTable(t, m.Output(), "kcoprio", lines)
}

// checkPrioTable checks the priority experiment's output of prog (coprio
// in user space, kcoprio in the kernel): 8×lines lines in priority
// order, then one table row per priority whose first and last line
// match and whose latency grows with the priority number.
func checkPrioTable(t *testing.T, out, prog string, lines int) {
	t.Helper()
	var order []int
	for _, g := range regexp.MustCompile(prog+`: prio (\d) line (\d+)`).FindAllStringSubmatch(out, -1) {
		order = append(order, atoi(t, g[1]))
	}
	if len(order) != 8*lines {
		t.Fatalf("%d lines from the coroutines, want %d:\n%s", len(order), 8*lines, out)
	}
	for i, p := range order {
		if p != i/lines {
			t.Fatalf("line %d is of priority %d, want %d (order %v)", i+1, p, i/lines, order)
		}
	}
	rows := regexp.MustCompile(prog+`: +(\d) +(\d+) +(\d+) +(\d+)\r?\n`).FindAllStringSubmatch(out, -1)
	if len(rows) != 8 {
		t.Fatalf("%d table rows, want 8:\n%s", len(rows), out)
	}
	var table []string
	for p, r := range rows {
		first, last, lat := atoi(t, r[2]), atoi(t, r[3]), atoi(t, r[4])
		if atoi(t, r[1]) != p || first != p*lines+1 || last != (p+1)*lines {
			t.Errorf("row %q, want priority %d on lines %d…%d", r[0], p, p*lines+1, (p+1)*lines)
		}
		if p > 0 && lat <= atoi(t, rows[p-1][4]) {
			t.Errorf("priority %d waited %d µs, priority %d %s µs", p, lat, p-1, rows[p-1][4])
		}
		table = append(table, strings.TrimSpace(r[0]))
	}
	t.Logf("\n%s", strings.Join(table, "\n"))
}
