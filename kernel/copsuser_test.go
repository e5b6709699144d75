package kernel_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/sched"
	"copslab/workbench/record"
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
	expect(t, m, `coyield: priority change: [1-9]\d* instructions`)
	expect(t, m, `coyield: woken by Post after [1-9]\d* sleeps: ok`)
	expect(t, m, `run coyield: exited with status 0`)
	wantExit(t, m, 0)
}

// TestCoprioOrder: the priority experiment on the serial port. Eight
// coroutines (priorities 7…0, spawned worst first) print to the UART;
// every line read from the console must be of a priority no better than
// the line before, each priority's lines must be contiguous, and the
// table's latencies must grow with the priority number. Then the bursts
// of requests from another thread (see the checks below).
func TestCoprioOrder(t *testing.T) {
	const lines = 3
	m := bootIcount(t, "run coprio -lines "+strconv.Itoa(lines))
	expect(t, m, `run coprio: exited with status 0`)
	wantExit(t, m, 0)
	out := m.Output()
	checkPrioTable(t, out, "coprio", lines)

	// The bursts: requests fired at once from another thread; the
	// waits grow with the priority number, every burst is served in
	// priority order, and the executor sleeps once per burst (one wake-up
	// per burst, not one per request).
	var burst []string
	prev := -1
	for p, r := range regexp.MustCompile(`coprio: burst +(\d) +(\d+)\r?\n`).FindAllStringSubmatch(out, -1) {
		lat := atoi(t, r[2])
		if atoi(t, r[1]) != p || lat <= prev {
			t.Errorf("burst row %q after a wait of %d µs", strings.TrimSpace(r[0]), prev)
		}
		prev = lat
		burst = append(burst, strings.TrimSpace(r[0]))
	}
	if len(burst) != 8 {
		t.Fatalf("%d burst rows, want 8:\n%s", len(burst), out)
	}
	g := regexp.MustCompile(`coprio: (\d+) of (\d+) bursts served in priority order; the executor slept (\d+) times`).FindStringSubmatch(out)
	if g == nil {
		t.Fatalf("no burst summary:\n%s", out)
	}
	n, sleeps := atoi(t, g[2]), atoi(t, g[3])
	if atoi(t, g[1]) != n || n != 20 || sleeps < n || sleeps > n+2 {
		t.Errorf("%s: want all 20 bursts in order and one sleep per burst", g[0])
	}
	t.Logf("\n%s\n%s", strings.Join(burst, "\n"), g[0])
}

// TestCoroutineSwitchesInKernelTrace: a program's coroutine switches
// reach the kernel's trace. The workbench records `run coyield -n 8`
// from the kernel (QEMU's gdb stub, the trace ring read by ELF symbol).
// Each switch the program made wrote one switch record into its Local;
// the kernel's Collect turns it into the yield and, at the same instant,
// the fetch of the next coroutine. coyield's coroutines yield only
// through switches: 2 kinds × 2 coroutines × 8 yields. Between its
// first console line and its second (two system calls, two kernel
// decisions that collect) it writes at most 4n+24 = 56 records (four
// executor runs: spawns, fetches, switches, exits) — fewer than a Local
// ring's 64, so none may be missing even if no other trap comes between.
func TestCoroutineSwitchesInKernelTrace(t *testing.T) {
	kernel := kernelImage(t)
	copslab := copslabBinary(t)
	dir := t.TempDir()
	rec := filepath.Join(dir, "coyield.rec")
	cmd := exec.Command(copslab, "record", "--target", "qemu", "--board", "../boards/qemu-virt.yaml",
		"--kernel", kernel, "--append", "run coyield -n 8", "-o", rec)
	cmd.Env = append(cmd.Environ(), "XDG_CONFIG_HOME="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("$ %s\n%s", boards.ShellQuote(cmd.Args), out)
	if err != nil {
		t.Fatal(err)
	}
	_, m, err := record.LoadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	evs := m.Events()
	yields, paired := 0, 0
	for i, e := range evs {
		// Coroutine ids carry a generation ≥ 1 above the process and
		// slot bits (sched.go); thread events carry small tids.
		if e.Kind != sched.KindUser || e.Co < 1<<14 || e.Cause != sched.CauseYield {
			continue
		}
		yields++
		if i+1 < len(evs) {
			f := evs[i+1]
			if f.Cause == sched.CauseFetch && f.Time == e.Time && f.Proc == e.Proc && f.Co >= 1<<14 && f.Co != e.Co {
				paired++
			}
		}
	}
	t.Logf("%d events, %d coroutine yields, %d of them followed at once by the next coroutine's fetch, %d lost", len(evs), yields, paired, m.Lost())
	if yields != 32 || paired != yields || m.Lost() != 0 {
		t.Fatalf("want 32 coroutine yields, each with its fetch at the same time, none lost")
	}
}

// BenchmarkCoroutineSwitch boots coyield with -icount shift=0 and
// reports one user coroutine switch (yield → the next coroutine, through
// the vDSO) in retired instructions, for step-function and iter.Pull
// coroutines, and one priority change (no system call); then, beside
// it, one thread switch (yieldbench: sched_yield between two threads of
// a process) and one process switch (two pyield processes: a sched_yield
// call is two switches) on the same kernel, and how many times fewer
// instructions the step-function switch takes. Three boots per
// measurement; b.N does not matter.
//
//	go test ./kernel -run '^$' -bench CoroutineSwitch -benchtime 1x
func BenchmarkCoroutineSwitch(b *testing.B) {
	for range b.N {
		line := func(m *qemu.Machine, pattern string) []string {
			re := regexp.MustCompile(pattern)
			s, err := m.Expect(re, 5*time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			return re.FindStringSubmatch(s)
		}
		num := func(s string) float64 { v, _ := strconv.Atoi(s); return float64(v) }
		m := bootIcount(b, "run coyield -n 1000")
		g := line(m, `coyield: coroutine switch: (\d+) instructions \(step functions\), (\d+) \(iter\.Pull\)`)
		p := line(m, `coyield: priority change: (\d+) instructions`)
		m.Kill()
		m = bootIcount(b, "run yieldbench")
		th := num(line(m, `yieldbench: 1000 sched_yield rounds \(2 thread switches each\): \d+ cycles, (\d+) instructions per switch`)[1])
		m.Kill()
		m = bootIcount(b, "runall pyield pyield")
		pr := num(line(m, `pyield \(pid 1\): 1000 sched_yield calls: \d+ cycles, (\d+) instructions each`)[1]) / 2
		m.Kill()
		step := num(g[1])
		b.ReportMetric(step, "step-instr/switch")
		b.ReportMetric(num(g[2]), "pull-instr/switch")
		b.ReportMetric(num(p[1]), "instr/SetPrio")
		b.ReportMetric(th, "thread-instr/switch")
		b.ReportMetric(pr, "process-instr/switch")
		b.ReportMetric(th/step, "x-fewer-than-thread")
	}
}
