package export_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"testing"

	"copslab/sched"
	"copslab/workbench/export"
	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
)

func ev(t uint64, co uint32, from, to sched.State, c sched.Cause, waker uint32, arg uint64) sched.Event {
	return sched.Event{Time: t, Co: co, Proc: 1, From: from, To: to, Cause: c, Waker: waker, Kind: sched.KindUser, Arg: arg}
}

const (
	cr, rd, rn, bl, ex = sched.Created, sched.Ready, sched.Running, sched.Blocked, sched.Exited
	no                 = sched.NoWaker
)

// known is a reader (co 1) doing one async read delivered by a user
// interrupt while a worker (co 2) computes and then wakes nobody.
var known = []sched.Event{
	ev(0, 1, cr, rd, sched.CauseSpawn, no, 0),
	ev(0, 2, cr, rd, sched.CauseSpawn, no, 0),
	ev(1000, 1, rd, rn, sched.CauseFetch, no, 0),
	ev(2000, 1, rn, rn, sched.CauseIOSubmit, no, 9),
	ev(2000, 1, rn, bl, sched.CauseBlock, no, 9),
	ev(3000, 2, rd, rn, sched.CauseFetch, no, 0),
	ev(8000, 1, bl, bl, sched.CauseIODone, no, 9),
	ev(8500, 1, bl, bl, sched.CauseUintrSend, no, 9),
	ev(9000, 1, bl, rd, sched.CauseUintr, no, 9),
	ev(9000, 2, rn, ex, sched.CauseExit, no, 0),
	ev(9500, 1, rd, rn, sched.CauseFetch, no, 0),
	ev(12000, 1, rn, ex, sched.CauseExit, no, 0),
}

func parse(t *testing.T, m *model.Model) export.Trace {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Perfetto(&buf, m); err != nil {
		t.Fatal(err)
	}
	var tr export.Trace
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tr); err != nil {
		t.Fatalf("trace is not valid JSON of the trace event format: %v", err)
	}
	return tr
}

type key struct{ pid, tid int }

func TestKnownScenario(t *testing.T) {
	m := model.New()
	m.Add(known...)
	m.Sync(&model.Snapshot{Time: 12000,
		Procs: []model.ProcState{{ID: 1, Name: "app", Current: sched.NoCo, Prio: sched.Idle}},
		Cos: []model.CoState{{ID: 1, Proc: 1, Name: "reader", State: ex},
			{ID: 2, Proc: 1, Name: "worker", State: ex}},
		Harts: []model.HartState{{Hart: 0, Proc: sched.NoProc, Co: sched.NoCo}},
	})
	tr := parse(t, m)
	names := map[key]string{}
	var slices, hartSlices []export.TraceEvent
	counters := 0
	instants := 0
	for _, e := range tr.TraceEvents {
		switch e.Ph {
		case "M":
			names[key{e.Pid, e.Tid}] = e.Args["name"].(string)
		case "X":
			if e.Pid == export.HartsPid {
				hartSlices = append(hartSlices, e)
			} else if e.Cat == "state" {
				slices = append(slices, e)
			}
		case "C":
			counters++
		case "i":
			instants++
		default:
			t.Errorf("unexpected phase %q", e.Ph)
		}
	}
	if names[key{2, 0}] != "app" || names[key{2, 1}] != "reader #1" || names[key{2, 2}] != "worker #2" || names[key{export.HartsPid, 0}] != "hart 0" {
		t.Fatalf("track names %v", names)
	}
	// reader: Ready 0-1000, Running 1000-2000, Blocked 2000-9000, Ready 9000-9500, Running 9500-12000
	// worker: Ready 0-3000, Running 3000-9000
	want := []struct {
		tid     int
		name    string
		ts, dur float64
	}{
		{1, "Ready", 0, 1}, {1, "Running", 1, 1}, {1, "Blocked", 2, 7}, {1, "Ready", 9, 0.5}, {1, "Running", 9.5, 2.5},
		{2, "Ready", 0, 3}, {2, "Running", 3, 6},
	}
	sort.SliceStable(slices, func(i, j int) bool { return slices[i].Tid < slices[j].Tid })
	if len(slices) != len(want) {
		t.Fatalf("%d slices, want %d: %+v", len(slices), len(want), slices)
	}
	for i, w := range want {
		s := slices[i]
		if s.Tid != w.tid || s.Name != w.name || s.Ts != w.ts || *s.Dur != w.dur || s.Pid != 2 {
			t.Errorf("slice %d = %s tid %d ts %v dur %v, want %+v", i, s.Name, s.Tid, s.Ts, *s.Dur, w)
		}
	}
	if len(hartSlices) != 3 {
		t.Errorf("hart slices %+v", hartSlices)
	}
	// ready counter changes: 2 at 0, 1 at 1000, 0 at 3000, 1 at 9000, 0 at 9500.
	if counters != 5 {
		t.Errorf("%d counter samples, want 5", counters)
	}
	// one user-interrupt flow: from the io-done on the kernel's I/O
	// completions track (not from the woken coroutine itself, where the
	// sandbox records the marker) to the reader's Ready slice.
	flows := checkFlows(t, tr)
	if len(flows) != 1 {
		t.Fatalf("flows %+v", flows)
	}
	for _, f := range flows {
		if f.out.Pid != export.KernelPid || f.out.Tid != export.IOTid || f.out.Ts != 8 || f.out.Name != "io-done req=9 → reader #1" ||
			f.in.Tid != 1 || f.in.Ts != 9 || f.in.Name != "Ready" || names[key{export.KernelPid, export.IOTid}] != "I/O completions" {
			t.Fatalf("flow %+v", f)
		}
	}
	if instants != 4 {
		t.Errorf("%d chain instants, want 4", instants)
	}
}

// TestStructure checks the format's invariants on a long synthetic run:
// every slice lies on a named track with a non-negative duration, every
// flow has exactly one start and one end, in time order.
func TestStructure(t *testing.T) {
	m := model.New()
	m.Add(modeltest.Gen{Procs: 3, Cos: 5, Harts: 2, Seed: 7}.Events(20000)...)
	tr := parse(t, m)
	named := map[key]bool{}
	var nx, nc int
	for _, e := range tr.TraceEvents {
		switch e.Ph {
		case "M":
			named[key{e.Pid, e.Tid}] = true
		case "X":
			nx++
			if e.Dur == nil || *e.Dur < 0 || !named[key{e.Pid, e.Tid}] || !named[key{e.Pid, 0}] {
				t.Fatalf("bad slice %+v", e)
			}
		case "C":
			nc++
		}
	}
	flows := checkFlows(t, tr)
	if nx < 10000 || nc < 1000 || len(flows) < 100 {
		t.Fatalf("too little: %d slices %d counters %d flows", nx, nc, len(flows))
	}
	checkSlices(t, tr)
}
