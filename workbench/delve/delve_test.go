package delve

// These tests run a real headless dlv on the real debuggee (scripts/
// prereqs.sh installs dlv at the version pinned in go.mod). They compare
// what Delve shows with sched.Decode of the region read from the stopped
// process and with the workbench model fed by an in-process run of the
// same deterministic scenario, never with hard-coded offsets or values.

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// start starts a session or skips when dlv is not installed.
func start(t *testing.T, scenario string) *Session {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the debuggee and runs dlv; skipped with -short")
	}
	if _, err := FindDlv(""); err != nil {
		t.Skipf("%v", err)
	}
	s, err := Start(Options{Scenario: scenario, Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if len(s.Missing) > 0 {
		t.Logf("scheduler functions not in the debuggee: %v", s.Missing)
	}
	return s
}

// decisionAt is the decision the main test stops in: far enough into the
// webserver scenario that both servers have ready coroutines.
const decisionAt = 60

// TestStepHighestProcMask stops in HighestProcMask at a decision, steps
// through its loop reading the locals, steps out with the result, and
// checks locals, arguments, result and the decoded queues against the
// region and the model.
func TestStepHighestProcMask(t *testing.T) {
	s := start(t, "webserver")
	st, err := s.RunToDecision(decisionAt)
	if err != nil {
		t.Fatal(err)
	}
	if !st.InSched() || !strings.HasSuffix(st.Func, "."+DecisionFunc) {
		t.Fatalf("stopped at %s, want in %s of %s", st.Where(), DecisionFunc, SchedPkg)
	}
	if st.Decision != decisionAt || st.Goroutine == 0 || len(st.Frames) < 2 || st.Frames[0].Func != st.Func {
		t.Fatalf("stop: decision %d goroutine %d frames %+v", st.Decision, st.Goroutine, st.Frames)
	}
	if _, err := os.Stat(st.File); err != nil {
		t.Fatalf("source of the stop: %v", err)
	}
	t.Logf("stopped at %s, decision %d (t=%dns), called from %s:%d", st.Where(), st.Decision, st.Clock, ShortFunc(st.Frames[1].Func), st.Frames[1].Line)
	// From there, take the first call that has a process to pick (the
	// decoded region says so), so the result is not the idle answer.
	if err := s.Break(DecisionFunc); err != nil {
		t.Fatal(err)
	}
	var allow uint64
	var before *sched.Snapshot
	wantPrio := uint64(sched.Idle)
	for calls := 0; wantPrio == sched.Idle; calls++ {
		if calls > 0 {
			if st, err = s.Continue(); err != nil || st.Exited {
				t.Fatalf("continue: %v %+v", err, st)
			}
		}
		if calls == 500 {
			t.Fatal("500 calls and never a process to pick")
		}
		caller, err := s.InFrame(1)
		if err != nil {
			t.Fatal(err)
		}
		if caller.Func != st.Frames[1].Func || caller.Line != st.Frames[1].Line || caller.Frame != 1 ||
			len(caller.Args)+len(caller.Locals) == 0 || s.Last().Frame != 0 {
			t.Fatalf("frame 1: %s with args %+v locals %+v; stack %+v", caller.Where(), caller.Args, caller.Locals, st.Frames)
		}
		if _, ok := caller.Var("allow"); ok {
			t.Fatalf("frame 1 (%s) shows the callee's argument allow: %+v", caller.Where(), caller.Args)
		}
		t.Logf("frame 1: %s, %d arguments, %d locals", caller.Where(), len(caller.Args), len(caller.Locals))
		allowVar, ok := st.Var("allow")
		if !ok {
			t.Fatalf("no argument allow in %+v", st.Args)
		}
		if allow, err = strconv.ParseUint(allowVar.Value, 0, 64); err != nil {
			t.Fatalf("allow = %q: %v", allowVar.Value, err)
		}
		if before, err = s.Region(); err != nil {
			t.Fatal(err)
		}
		for _, p := range before.Procs {
			if allow&(1<<p.ID) != 0 && p.Hart == sched.NoHart && uint64(before.GlobalPrio[p.ID]) < wantPrio {
				wantPrio = uint64(before.GlobalPrio[p.ID])
			}
		}
	}
	if err := s.Unbreak(DecisionFunc); err != nil {
		t.Fatal(err)
	}
	t.Logf("picking at decision %d, called from %s: allow %#x, best priority in the region %d", st.Decision, ShortFunc(st.Frames[1].Func), allow, wantPrio)

	// Step through the loop: every stop with p and pr set must read the
	// global priority array as the decoder does.
	checked := 0
	for n := 0; n < 40; n++ {
		if st, err = s.Next(); err != nil {
			t.Fatal(err)
		}
		if st.Func != s.last.Func || !strings.HasSuffix(st.Func, "."+DecisionFunc) {
			t.Fatalf("left %s after %d lines, at %s", DecisionFunc, n+1, st.Where())
		}
		p, okP := intVar(st, "p")
		pr, okPr := intVar(st, "pr")
		// Delve lists a local only after its declaring line has run.
		if okP && okPr {
			if p >= uint64(len(before.GlobalPrio)) || uint64(before.GlobalPrio[p]) != pr {
				t.Fatalf("line %d: local pr = %d, decoded global priority of p = %d is %v", st.Line, pr, p, before.GlobalPrio)
			}
			checked++
		}
	}
	if checked < 5 {
		t.Fatalf("only %d stops in the loop checked against the region", checked)
	}
	t.Logf("%d stops in the loop: local pr equals the decoded global priority of p", checked)

	st, err = s.StepOut()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Returned) != 2 {
		t.Fatalf("return values %+v", st.Returned)
	}
	gotP, err1 := strconv.ParseUint(st.Returned[0].Value, 0, 16)
	gotPrio, err2 := strconv.ParseUint(st.Returned[1].Value, 0, 8)
	if err1 != nil || err2 != nil {
		t.Fatalf("return values %+v", st.Returned)
	}
	if gp := before.Proc(uint16(gotP)); gotPrio != wantPrio || gp == nil || uint64(before.GlobalPrio[gotP]) != gotPrio || allow&(1<<gotP) == 0 || gp.Hart != sched.NoHart {
		t.Fatalf("HighestProcMask(%#x) returned (%d, %d); the decoded region says best priority %d", allow, gotP, gotPrio, wantPrio)
	}
	t.Logf("stepped out to %s: returned proc %d prio %d", st.Where(), gotP, gotPrio)

	after, err := s.Region()
	if err != nil {
		t.Fatal(err)
	}
	compareWithModel(t, after, "webserver")
}

// compareWithModel runs the scenario in process, feeds the model exactly
// the events the debuggee has recorded so far, and compares queues,
// current coroutines, global priorities and coroutine states with the
// region decoded from the debuggee; the events still in the debuggee's
// ring must be the in-process run's events.
func compareWithModel(t *testing.T, got *sched.Snapshot, scenario string) {
	t.Helper()
	tg, err := target.OpenSandbox(scenario)
	if err != nil {
		t.Fatal(err)
	}
	m := model.New()
	var all []sched.Event
	for uint64(len(all)) < got.Seq && !tg.Done() {
		evs, err := tg.Step()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	if uint64(len(all)) < got.Seq {
		t.Fatalf("the in-process run has %d events, the debuggee %d", len(all), got.Seq)
	}
	m.Add(all[:got.Seq]...)
	for _, e := range got.Events {
		if e != all[e.Seq] {
			t.Fatalf("debuggee event %+v, in-process run %+v", e, all[e.Seq])
		}
	}
	want, dec := m.Now(), target.FromRegion(got, m.Now().Time)
	ready := 0
	for _, p := range dec.Procs {
		mp := want.Proc(p.ID)
		if mp == nil {
			if p.Ready() > 0 || p.Current != sched.NoCo {
				t.Fatalf("process %d is in the region (%+v) but not in the model", p.ID, p)
			}
			continue
		}
		if !sameQueues(p.Queues, mp.Queues) {
			t.Fatalf("process %d queues: region %v, model %v", p.ID, p.Queues, mp.Queues)
		}
		if p.Current != mp.Current || p.Prio != mp.Prio || p.UintrPending != mp.UintrPending {
			t.Fatalf("process %d: region cur %d prio %d uintr %v, model cur %d prio %d uintr %v",
				p.ID, p.Current, p.Prio, p.UintrPending, mp.Current, mp.Prio, mp.UintrPending)
		}
		ready += p.Ready()
	}
	for _, c := range dec.Cos {
		if mc := want.Co(c.ID); mc == nil || mc.State != c.State || mc.Prio != c.Prio || mc.Proc != c.Proc {
			t.Fatalf("coroutine %d: region %+v, model %+v", c.ID, c, mc)
		}
	}
	if ready == 0 {
		t.Fatalf("no ready coroutine at event %d: the comparison proves little", got.Seq)
	}
	t.Logf("after %d events: %d processes, %d coroutines (%d ready) agree with the model", got.Seq, len(dec.Procs), len(dec.Cos), ready)
}

func sameQueues(a, b [sched.NumPrio][]uint32) bool {
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func intVar(st *Stop, name string) (uint64, bool) {
	v, ok := st.Var(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v.Value, 0, 64)
	return n, err == nil
}

// TestBreakContinueAndRunToTime sets a breakpoint on Fetch, continues to
// it, then steps into the first decision at or after a later time.
func TestBreakContinueAndRunToTime(t *testing.T) {
	s := start(t, "tiny")
	if err := s.Break("Fetch"); err != nil {
		t.Fatal(err)
	}
	st, err := s.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(st.Func, ".Fetch") || !strings.HasSuffix(st.Breakpoint, ".Fetch") || !st.InSched() {
		t.Fatalf("stopped at %s (breakpoint %q), want Fetch", st.Where(), st.Breakpoint)
	}
	if len(st.Args) == 0 || !slices.Contains(s.Symbols["Fetch"], st.Func) || strings.Contains(st.Func, "(*"+HostReceiver+")") && len(s.Symbols["Fetch"]) > 1 {
		t.Fatalf("stopped in %s with arguments %+v; Fetch resolves to %v", st.Func, st.Args, s.Symbols["Fetch"])
	}
	t.Logf("Fetch: %v; stopped in %s", s.Symbols["Fetch"], st.Where())
	if _, err := s.StepOut(); err != nil {
		t.Fatal(err)
	}
	if err := s.Unbreak("Fetch"); err != nil {
		t.Fatal(err)
	}
	const at = 20_000 // ns, inside the tiny scenario
	st, err = s.RunToTime(at)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(st.Func, "."+DecisionFunc) || st.Clock < at {
		t.Fatalf("RunToTime(%d) stopped at %s, decision %d starting at %d", at, st.Where(), st.Decision, st.Clock)
	}
	snap, err := s.Region()
	if err != nil {
		t.Fatal(err)
	}
	if snap.Seq == 0 || len(snap.Procs) == 0 {
		t.Fatalf("decoded region is empty: %+v", snap)
	}
	next, err := s.NextDecision()
	if err != nil {
		t.Fatal(err)
	}
	if !next.Exited && next.Decision != st.Decision+1 {
		t.Fatalf("NextDecision from %d went to %d", st.Decision, next.Decision)
	}
	for !next.Exited {
		if next, err = s.NextDecision(); err != nil {
			t.Fatal(err)
		}
	}
	if next.ExitStatus != 0 {
		t.Fatalf("debuggee exit status %d: %s", next.ExitStatus, s.Output())
	}
	// Back in time: the debuggee is restarted and stops at the same place.
	again, err := s.RunToTime(at)
	if err != nil {
		t.Fatal(err)
	}
	if again.Decision != st.Decision || again.Clock != st.Clock || again.Line != st.Line {
		t.Fatalf("RunToTime(%d) after the end: decision %d at %d, line %d; first time %d at %d, line %d",
			at, again.Decision, again.Clock, again.Line, st.Decision, st.Clock, st.Line)
	}
}

// TestRunToEvent stops in the decision that records a given event of the
// in-process run of the same scenario, as Step into does from the timeline.
func TestRunToEvent(t *testing.T) {
	s := start(t, "webserver")
	tg, err := target.OpenSandbox("webserver")
	if err != nil {
		t.Fatal(err)
	}
	var all []sched.Event
	for len(all) < 600 && !tg.Done() {
		evs, err := tg.Step()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	for _, cursor := range []uint64{all[500].Time, all[120].Time} { // the second goes back: restart
		i := slices.IndexFunc(all, func(e sched.Event) bool { return e.Time > cursor })
		want := all[i].Seq
		st, err := s.RunToEvent(want)
		if err != nil {
			t.Fatal(err)
		}
		if st.Seq != want || !strings.HasSuffix(st.Func, "."+DecisionFunc) {
			t.Fatalf("RunToEvent(%d): decision %d starting with event %d, at %s", want, st.Decision, st.Seq, st.Where())
		}
		r, err := s.Region()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Events {
			if e != all[e.Seq] || (e.Seq >= want) != (e.Time > cursor) {
				t.Fatalf("cursor %d, stop before event %d: the debuggee has recorded %+v (in-process: %+v)", cursor, want, e, all[e.Seq])
			}
		}
		t.Logf("cursor %dns: stopped in decision %d (t=%dns) before event %d; the region holds events up to %d", cursor, st.Decision, st.Clock, want, r.Seq)
	}
}

// TestStartFailures: no dlv, and a dlv that fails, give errors saying so.
func TestStartFailures(t *testing.T) {
	_, err := Start(Options{Dlv: filepath.Join(t.TempDir(), "no-such-dlv")})
	if !errors.Is(err, ErrNoDlv) || !strings.Contains(err.Error(), "make prereqs") {
		t.Fatalf("missing dlv: %v", err)
	}
	if testing.Short() {
		return
	}
	bad := filepath.Join(t.TempDir(), "dlv")
	if err := os.WriteFile(bad, []byte("#!/bin/sh\necho 'dlv: cannot debug this' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = Start(Options{Dlv: bad, Scenario: "tiny", Timeout: 5 * time.Minute})
	if err == nil || !strings.Contains(err.Error(), "exited before listening") || !strings.Contains(err.Error(), "cannot debug this") {
		t.Fatalf("failing dlv: %v", err)
	}
}
