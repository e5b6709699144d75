package kernel_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Coroutines in user programs (package kernel/user/cops): the executor
// runs on the scheduler's machine code in the vDSO. Boots use -icount
// shift=0, so instruction counts and guest latencies are deterministic.

// TestCoroutinesThroughVDSO: coyield's executor finds the scheduler in
// the vDSO, its coroutines switch, and an executor with nothing ready
// sleeps in the kernel until a Post from another thread wakes it (the
// program exits 1 otherwise).
func TestCoroutinesThroughVDSO(t *testing.T) {
	m := bootIcount(t, "run coyield -n 200")
	src := expect(t, m, `coyield: (.*)\r?\n`)
	if !strings.Contains(src[1], "scheduler code in the vDSO") {
		t.Errorf("the executor does not run the vDSO's code: %q", src[1])
	}
	g := expect(t, m, `coyield: coroutine switch: (\d+) instructions \(step functions\), (\d+) \(iter\.Pull\) \(400 switches each\)`)
	t.Logf("%s", g[0])
	expect(t, m, `coyield: woken by Post after [1-9]\d* sleeps: ok`)
	expect(t, m, `run coyield: exited with status 0`)
	wantExit(t, m, 0)
}

// TestCoprioOrder: the priority experiment on the serial port. Eight
// coroutines (priorities 7…0, spawned worst first) print to the UART;
// every line read from the console must be of a priority no better than
// the line before, each priority's lines must be contiguous, and the
// table's latencies must grow with the priority number.
func TestCoprioOrder(t *testing.T) {
	const lines = 3
	m := bootIcount(t, "run coprio -lines "+strconv.Itoa(lines))
	expect(t, m, `run coprio: exited with status 0`)
	wantExit(t, m, 0)
	out := m.Output()
	var order []int
	for _, g := range regexp.MustCompile(`coprio: prio (\d) line (\d+)`).FindAllStringSubmatch(out, -1) {
		order = append(order, atoi(t, g[1]))
	}
	if len(order) != 8*lines {
		t.Fatalf("%d lines from the coroutines, want %d:\n%s", len(order), 8*lines, out)
	}
	for i, p := range order {
		if want := i / lines; p != want {
			t.Fatalf("line %d is of priority %d, want %d (order %v)", i+1, p, want, order)
		}
	}
	rows := regexp.MustCompile(`coprio: +(\d) +(\d+) +(\d+) +(\d+)\r?\n`).FindAllStringSubmatch(out, -1)
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

// BenchmarkCoroutineSwitch boots coyield with -icount shift=0 and
// reports one user coroutine switch (yield → the next coroutine, through
// the vDSO) in retired instructions, for step-function and iter.Pull
// coroutines. One boot per measurement; b.N does not matter.
//
//	go test ./kernel -run '^$' -bench CoroutineSwitch -benchtime 1x
func BenchmarkCoroutineSwitch(b *testing.B) {
	for range b.N {
		m := bootIcount(b, "run coyield -n 1000")
		re := regexp.MustCompile(`coyield: coroutine switch: (\d+) instructions \(step functions\), (\d+) \(iter\.Pull\)`)
		s, err := m.Expect(re, 5*time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		g := re.FindStringSubmatch(s)
		num := func(s string) float64 { v, _ := strconv.Atoi(s); return float64(v) }
		b.ReportMetric(num(g[1]), "step-instr/switch")
		b.ReportMetric(num(g[2]), "pull-instr/switch")
	}
}
