package sandbox

import (
	"slices"
	"strings"
	"testing"

	"copslab/sched"
)

func runBuiltin(t *testing.T, name string) (*Sim, []sched.Event) {
	t.Helper()
	sc, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	var all []sched.Event
	for steps := 0; !sim.Done(); steps++ {
		ev, _, err := sim.Step()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ev...)
		if steps%50 == 0 {
			checkSnapshot(t, sim)
		}
	}
	return sim, all
}

// checkSnapshot decodes the region mid-run and checks names and harts.
func checkSnapshot(t *testing.T, sim *Sim) {
	t.Helper()
	snap := sim.Snapshot()
	if sim.Err() != nil {
		t.Fatal(sim.Err())
	}
	if len(snap.Harts) != sim.Scenario().Harts {
		t.Fatalf("%d harts in snapshot", len(snap.Harts))
	}
	for _, c := range snap.Cos {
		if c.Name == "" {
			t.Fatalf("coroutine %#x without a name", c.ID)
		}
	}
	for _, h := range snap.Harts {
		if h.Proc != sched.NoProc && snap.Proc(h.Proc).Name == "" {
			t.Fatalf("hart %d runs unnamed process %d", h.Hart, h.Proc)
		}
	}
}

func TestBuiltinsRun(t *testing.T) {
	names := BuiltinNames()
	for _, want := range []string{"priority", "tiny", "webserver"} {
		if !slices.Contains(names, want) {
			t.Fatalf("built-ins %v lack %q", names, want)
		}
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			sim, events := runBuiltin(t, n)
			checkTrace(t, events)
			if s := sim.Summary(); s.Events != len(events) || s.Overflow != 0 {
				t.Fatalf("summary counts %d events (overflow %d), trace has %d", s.Events, s.Overflow, len(events))
			}
		})
	}
}

// checkTrace checks every event: sequence numbers without gaps, time never
// going back, and per coroutine each From equal to the previous To.
func checkTrace(t *testing.T, events []sched.Event) {
	t.Helper()
	last := map[uint32]sched.State{}
	for i, e := range events {
		if e.Seq != uint64(i) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
		if i > 0 && e.Time < events[i-1].Time {
			t.Fatalf("event %d goes back in time", i)
		}
		prev, seen := last[e.Co]
		if !seen {
			prev = sched.Created
		}
		if e.From != prev {
			t.Fatalf("event %d (%v %v→%v) follows state %v", i, e.Cause, e.From, e.To, prev)
		}
		last[e.Co] = e.To
	}
}

// TestPriorityZeroFinishesFirst: under saturation the priorities finish in
// order and their latencies grow with the priority number.
func TestPriorityZeroFinishesFirst(t *testing.T) {
	sim, _ := runBuiltin(t, "priority")
	s := sim.Summary()
	if len(s.Prios) != sched.NumPrio {
		t.Fatalf("%d priorities in summary", len(s.Prios))
	}
	for i := 1; i < len(s.Prios); i++ {
		a, b := s.Prios[i-1], s.Prios[i]
		if a.LastFinish >= b.LastFinish || a.MeanLatency >= b.MeanLatency {
			t.Errorf("priority %d (last finish %d, latency %d) not ahead of %d (%d, %d)",
				a.Prio, a.LastFinish, a.MeanLatency, b.Prio, b.LastFinish, b.MeanLatency)
		}
	}
	if s.Prios[0].LastFinish*3 > s.Prios[7].LastFinish {
		t.Errorf("priority 0 done at %d, priority 7 at %d: expected a clear gap", s.Prios[0].LastFinish, s.Prios[7].LastFinish)
	}
}

// TestWebServerCoroutinesBeatThreads compares the two servers of one run.
func TestWebServerCoroutinesBeatThreads(t *testing.T) {
	sim, _ := runBuiltin(t, "webserver")
	s := sim.Summary()
	co, thr := s.Procs[0], s.Procs[1]
	if co.Mode != ModeCoroutines || thr.Mode != ModeThreads {
		t.Fatalf("process order %v %v", co.Mode, thr.Mode)
	}
	if co.Requests <= thr.Requests || co.MeanLatency >= thr.MeanLatency {
		t.Fatalf("coroutines %d requests (%d ns), threads %d (%d ns)", co.Requests, co.MeanLatency, thr.Requests, thr.MeanLatency)
	}
	if s.Harts[1].Overhead <= s.Harts[0].Overhead {
		t.Fatalf("thread hart overhead %d not above coroutine hart's %d", s.Harts[1].Overhead, s.Harts[0].Overhead)
	}
}

// TestUintrChain follows each async read of "tiny" through its stages.
func TestUintrChain(t *testing.T) {
	_, events := runBuiltin(t, "tiny")
	stages := map[uint64][]sched.Cause{}
	for _, e := range events {
		switch e.Cause {
		case sched.CauseIOSubmit, sched.CauseIODone, sched.CauseUintrSend, sched.CauseUintr:
			stages[e.Arg] = append(stages[e.Arg], e.Cause)
		case sched.CauseBlock:
			if e.Arg != 0 {
				stages[e.Arg] = append(stages[e.Arg], e.Cause)
			}
		}
	}
	want := []sched.Cause{sched.CauseIOSubmit, sched.CauseBlock, sched.CauseIODone, sched.CauseUintrSend, sched.CauseUintr}
	if len(stages) != 2 {
		t.Fatalf("%d requests traced, want 2", len(stages))
	}
	for req, got := range stages {
		if !slices.Equal(got, want) {
			t.Errorf("request %d: %v, want %v", req, got, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	_, a := runBuiltin(t, "webserver")
	_, b := runBuiltin(t, "webserver")
	if !slices.Equal(a, b) {
		t.Fatal("two runs of the same scenario differ")
	}
}

const threadsYAML = `
name: rr
quantum: 5
processes:
  - name: t
    mode: threads
    coroutines:
      - {name: w, count: 2, prio: 3, work: [compute: 12]}
`

func TestThreadsArePreempted(t *testing.T) {
	sc, err := ParseScenario([]byte(threadsYAML), "rr")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	events, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	checkTrace(t, events)
	var seq []string
	for _, e := range events {
		if e.Cause == sched.CausePreempt || e.Cause == sched.CauseResume {
			seq = append(seq, sim.ProcName(e.Proc)+":"+e.Cause.String())
		}
	}
	if len(seq) < 4 || seq[0] != "t/w#0:preempt" || seq[1] != "t/w#1:preempt" || seq[2] != "t/w#0:resume" {
		t.Fatalf("preemption sequence %v", seq)
	}
	if len(sim.Snapshot().Procs) != 3 {
		t.Fatalf("want kernel + 2 thread slots")
	}
}

func TestStepAndRunUntil(t *testing.T) {
	sc, _ := Builtin("tiny")
	sim, _ := New(sc)
	first, done, err := sim.Step()
	if err != nil || done || len(first) == 0 || first[0].Cause != sched.CauseSpawn {
		t.Fatalf("first step: %v %v %v", first, done, err)
	}
	ev, err := sim.RunUntil(10_000)
	if err != nil || sim.Now() != 10_000 || len(ev) == 0 {
		t.Fatalf("RunUntil: now %d, %d events, %v", sim.Now(), len(ev), err)
	}
	for _, e := range ev {
		if e.Time >= 10_000 {
			t.Fatalf("event at %d after RunUntil(10000)", e.Time)
		}
	}
	snap := sim.Snapshot()
	if snap.Proc(1) == nil || snap.Proc(1).Name != "app" || snap.GlobalPrio[0] != sched.Idle {
		t.Fatalf("snapshot %+v", snap.Procs)
	}
	sim.Run()
	var b strings.Builder
	if err := WriteSummary(&b, sim.Summary()); err != nil || !strings.Contains(b.String(), "reader") {
		t.Fatalf("summary: %v\n%s", err, b.String())
	}
}

// TestKernelSyscallCoroutines: with kernel_syscalls every async read is
// served by a kernel-syscall coroutine of process 0 that blocks on the
// device, is woken by it and exits after raising the user interrupt.
func TestKernelSyscallCoroutines(t *testing.T) {
	sim, events := runBuiltin(t, "syscalls")
	reads := 0
	perReq := map[uint64][]sched.Cause{}
	for _, e := range events {
		if e.Cause == sched.CauseIOSubmit {
			reads++
		}
		if e.Kind == sched.KindKernelSyscall {
			if e.Proc != 0 || e.Prio != 0 {
				t.Fatalf("syscall coroutine event in process %d at priority %d", e.Proc, e.Prio)
			}
			if e.Cause == sched.CauseBlock || e.Cause == sched.CauseWake {
				perReq[e.Arg] = append(perReq[e.Arg], e.Cause)
			}
		}
	}
	if reads != 9 || len(perReq) != reads {
		t.Fatalf("%d reads, %d served by kernel coroutines", reads, len(perReq))
	}
	for req, c := range perReq {
		if !slices.Equal(c, []sched.Cause{sched.CauseBlock, sched.CauseWake}) {
			t.Fatalf("request %d: kernel coroutine %v", req, c)
		}
	}
	snap := sim.Snapshot()
	if p := snap.Proc(0); p.Live != 0 || p.Name != "kernel" {
		t.Fatalf("kernel process at the end: %+v", p)
	}
	if !strings.HasPrefix(sim.CoName(events[7].Co), "sys-read#") {
		t.Fatalf("event 7 is %q", sim.CoName(events[7].Co))
	}
}
