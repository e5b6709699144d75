package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"copslab/sched"
	"copslab/workbench/export"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// flow is one wakeup arrow: the slice it leaves and the slice it enters.
type flow struct{ out, in export.TraceEvent }

// checkFlows checks that every flow id is bound to exactly one source
// slice (flow_out) and one woken slice (flow_in), that it never points
// from a track to itself, that it enters a Ready slice at its start and
// does not go back in time; it returns the flows by id.
func checkFlows(t *testing.T, tr export.Trace) map[uint64]flow {
	t.Helper()
	flows := map[uint64]flow{}
	outs, ins := map[uint64]int{}, map[uint64]int{}
	for _, e := range tr.TraceEvents {
		if e.Ph == "s" || e.Ph == "f" || e.Ph == "t" {
			t.Fatalf("timestamp-bound flow event %+v: flows are bound by id", e)
		}
		if e.BindID == 0 {
			continue
		}
		if e.Ph != "X" || e.FlowIn == e.FlowOut {
			t.Fatalf("bad flow binding %+v", e)
		}
		f := flows[e.BindID]
		if e.FlowOut {
			f.out = e
			outs[e.BindID]++
		} else {
			f.in = e
			ins[e.BindID]++
		}
		flows[e.BindID] = f
	}
	for id, f := range flows {
		if outs[id] != 1 || ins[id] != 1 {
			t.Fatalf("flow %d: %d sources, %d ends", id, outs[id], ins[id])
		}
		if f.out.Pid == f.in.Pid && f.out.Tid == f.in.Tid {
			t.Fatalf("flow %d points from a track to itself: %+v", id, f)
		}
		if f.in.Name != "Ready" || f.in.Cat != "state" || f.out.Ts > f.in.Ts || *f.out.Dur != 0 {
			t.Fatalf("flow %d: %+v", id, f)
		}
	}
	return flows
}

// checkSlices checks each coroutine track: its state slices follow each
// other without gap or overlap to the nanosecond, and no two neighbours
// have the same state (an interval merged away would show that way).
func checkSlices(t *testing.T, tr export.Trace) {
	t.Helper()
	tracks := map[key][]export.TraceEvent{}
	for _, e := range tr.TraceEvents {
		if e.Ph == "X" && e.Cat == "state" {
			tracks[key{e.Pid, e.Tid}] = append(tracks[key{e.Pid, e.Tid}], e)
		}
	}
	for k, sl := range tracks {
		sort.SliceStable(sl, func(i, j int) bool { return sl[i].Ts < sl[j].Ts })
		for i := 1; i < len(sl); i++ {
			a, b := sl[i-1], sl[i]
			if ns(a.Ts)+ns(*a.Dur) != ns(b.Ts) {
				t.Fatalf("track %v: %s at %v for %v does not meet %s at %v", k, a.Name, a.Ts, *a.Dur, b.Name, b.Ts)
			}
			if a.Name == b.Name {
				t.Fatalf("track %v: two %s slices in a row at %v and %v", k, a.Name, a.Ts, b.Ts)
			}
		}
	}
}

// ns converts a microsecond time read back from the trace to nanoseconds.
func ns(us float64) int64 {
	n := us * 1000
	if n < 0 {
		return int64(n - 0.5)
	}
	return int64(n + 0.5)
}

// checkExport exports m and runs the structure checks every export
// passes (sandbox scenarios and kernel recordings): whole-nanosecond
// decimals, gap-free state slices, flows bound once and forward in time.
func checkExport(t *testing.T, m *model.Model) map[uint64]flow {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Perfetto(&buf, m); err != nil {
		t.Fatal(err)
	}
	checkDecimals(t, buf.Bytes())
	var tr export.Trace
	if err := json.Unmarshal(buf.Bytes(), &tr); err != nil {
		t.Fatal(err)
	}
	checkSlices(t, tr)
	return checkFlows(t, tr)
}

// checkDecimals checks the raw JSON: every ts and dur has at most three
// decimals (whole nanoseconds), as computing in integers gives.
func checkDecimals(t *testing.T, raw []byte) {
	t.Helper()
	var tr struct {
		TraceEvents []map[string]json.RawMessage `json:"traceEvents"`
	}
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.TraceEvents {
		for _, f := range []string{"ts", "dur"} {
			v, ok := e[f]
			if !ok {
				continue
			}
			s := string(v)
			if _, frac, ok := strings.Cut(s, "."); (ok && len(frac) > 3) || strings.ContainsAny(s, "eE") {
				t.Fatalf("%s %s is not a whole number of nanoseconds: %s", f, s, e["name"])
			}
		}
	}
}

// TestWakeupSources: a coroutine's wake starts on the waker's track, a
// wake with no waking coroutine (a thread the kernel woke) and a timer on
// the kernel's track; a coroutine woken, run and blocked at one instant
// keeps its zero-length Ready and Running slices; durations on a 333 ns
// tick come out exact.
func TestWakeupSources(t *testing.T) {
	evs := []sched.Event{
		ev(0, 1, cr, rd, sched.CauseSpawn, no, 0),
		ev(0, 2, cr, rd, sched.CauseSpawn, no, 0),
		ev(333, 1, rd, rn, sched.CauseFetch, no, 0),
		ev(666, 1, rn, bl, sched.CauseBlock, no, 0),
		ev(999, 2, rd, rn, sched.CauseFetch, no, 0),
		ev(7659, 1, bl, rd, sched.CauseWake, 2, 0), // co 2 wakes co 1
		ev(7659, 2, rn, bl, sched.CauseBlock, no, 0),
		ev(7659, 1, rd, rn, sched.CauseFetch, no, 0),
		ev(7659, 1, rn, bl, sched.CauseBlock, no, 0),  // ran for no time
		ev(9990, 2, bl, rd, sched.CauseWake, no, 0),   // the kernel woke it
		ev(13320, 1, bl, rd, sched.CauseTimer, no, 0), // a sleep expired
		ev(13320, 2, rd, rn, sched.CauseFetch, no, 0),
		ev(16650, 2, rn, ex, sched.CauseExit, no, 0),
	}
	m := model.New()
	m.Add(evs...)
	m.Learn(&model.Snapshot{Cos: []model.CoState{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}}})
	flows := checkExport(t, m)
	tr := parse(t, m)
	var got []string
	for id := uint64(1); id <= uint64(len(flows)); id++ {
		f := flows[id]
		got = append(got, fmt.Sprintf("%d/%d@%v→%d@%v", f.out.Pid, f.out.Tid, f.out.Ts, f.in.Tid, f.in.Ts))
	}
	want := []string{
		"2/2@7.659→1@7.659", // from co 2's track
		fmt.Sprintf("%d/%d@9.99→2@9.99", export.KernelPid, export.KernelTid),   // kernel wake
		fmt.Sprintf("%d/%d@13.32→1@13.32", export.KernelPid, export.KernelTid), // timer
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("flows %v\nwant  %v", got, want)
	}
	var co1 []string
	for _, e := range tr.TraceEvents {
		if e.Ph == "X" && e.Cat == "state" && e.Tid == 1 {
			co1 = append(co1, fmt.Sprintf("%s@%v+%v", e.Name, e.Ts, *e.Dur))
		}
	}
	wantCo1 := "Ready@0+0.333 Running@0.333+0.333 Blocked@0.666+6.993 Ready@7.659+0 Running@7.659+0 Blocked@7.659+5.661 Ready@13.32+3.33"
	if strings.Join(co1, " ") != wantCo1 {
		t.Errorf("co 1 slices %s\nwant         %s", strings.Join(co1, " "), wantCo1)
	}
}

// TestWebserverExport runs the built-in webserver scenario (333 ns ticks,
// coroutines woken by user interrupts, threads woken by the kernel) and
// checks the whole export: exact decimals, no merged intervals, and a
// flow for every wakeup, none from a track to itself.
func TestWebserverExport(t *testing.T) {
	tg, err := target.OpenSandbox("webserver")
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	m := model.New()
	d := session.New(tg)
	b, err := d.Start()
	for err == nil {
		b.ApplyTo(m)
		if b.Done {
			break
		}
		b, err = d.RunUntil(^uint64(0), 1<<16)
	}
	if err != nil {
		t.Fatal(err)
	}
	flows := checkExport(t, m)
	wakes, sources := 0, map[string]int{}
	for _, e := range m.Events() {
		if e.From == sched.Blocked && e.To == sched.Ready {
			wakes++
		}
	}
	for _, f := range flows {
		sources[fmt.Sprintf("%d/%d", f.out.Pid, f.out.Tid)]++
	}
	if len(flows) != wakes || wakes < 1000 {
		t.Errorf("%d flows for %d wakeups", len(flows), wakes)
	}
	if sources[fmt.Sprintf("%d/%d", export.KernelPid, export.IOTid)] == 0 || sources[fmt.Sprintf("%d/%d", export.KernelPid, export.KernelTid)] == 0 {
		t.Errorf("flow sources %v: want I/O completions and kernel wakeups", sources)
	}
	t.Logf("%d events, %d flows by source track %v", m.Len(), len(flows), sources)
}
