package target_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// TestModelTracksSandbox runs every built-in scenario step by step and
// checks that the model, fed only with events, agrees exactly with the
// sandbox's own snapshot after every scheduling decision: coroutine states
// and priorities, ready queues, current coroutines, pending user
// interrupts and global priorities; and that At gives the same state for
// each instant afterwards. The last subtest runs a scenario in which
// several user interrupts are outstanding at once, so the handler wakes
// one request while another is still raised (the flag and the priority-0
// boost must stay); it asserts that this case really occurs.
func TestModelTracksSandbox(t *testing.T) {
	for _, name := range target.Scenarios() {
		t.Run(name, func(t *testing.T) {
			st := trackSandbox(t, name)
			t.Logf("%s: %d handler wakes with another interrupt still raised, at most %d raised at once", name, st.wokenStillPending, st.maxRaised)
		})
	}
	t.Run("overlapping-uintrs", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "overlap.yaml")
		if err := os.WriteFile(path, []byte(overlapScenario), 0o644); err != nil {
			t.Fatal(err)
		}
		st := trackSandbox(t, path)
		t.Logf("%d handler wakes with another interrupt still raised, at most %d raised at once", st.wokenStillPending, st.maxRaised)
		if st.maxRaised < 2 || st.wokenStillPending == 0 {
			t.Fatalf("scenario does not exercise overlapping interrupts: %+v", st)
		}
	})
}

// overlapScenario has three readers whose reads complete one tick apart,
// so each uintr-send arrives while an earlier one is still raised (2-tick
// delivery, 1-tick handler).
const overlapScenario = `name: overlap
description: three readers whose user interrupts overlap
harts: 1
tick_ns: 1000
quantum: 10
costs: {coswitch: 0, procswitch: 2}
uintr: {kernel_ns: 1000, delivery_ns: 2000, handler_ns: 1000}
processes:
  - name: app
    mode: coroutines
    coroutines:
      - {name: r1, prio: 1, repeat: 3, work: [read: 6, compute: 1]}
      - {name: r2, prio: 1, repeat: 3, work: [read: 6, compute: 1]}
      - {name: r3, prio: 1, repeat: 3, work: [read: 7, compute: 1]}
      - {name: worker, prio: 7, work: [compute: 40]}
`

// trackStats says how much of the user-interrupt rule a run exercised.
type trackStats struct {
	wokenStillPending int // CauseUintr wakes after which the sandbox still had the flag set
	maxRaised         int // most uintr-sends of one process outstanding at once
}

// trackSandbox runs scenario (a built-in name or a file) step by step,
// comparing the model with the sandbox after each step and, at the end,
// m.At(t) with the sandbox's state at each step's time.
func trackSandbox(t *testing.T, scenario string) trackStats {
	t.Helper()
	tg, err := target.OpenSandbox(scenario)
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		first    uint64 // time of the step's first and last event
		last     uint64
		snap     *model.Snapshot
		hasEvent bool
	}
	var (
		st     trackStats
		steps  []step
		raised = map[uint16]int{}
	)
	m := model.New()
	for !tg.Done() && len(steps) < 3000 {
		evs, err := tg.Step()
		if err != nil {
			t.Fatal(err)
		}
		m.Add(evs...)
		snap, err := tg.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if err := agree(m.Now(), snap); err != nil {
			t.Fatalf("step %d (t=%d): %v", len(steps), tg.Now(), err)
		}
		for _, e := range evs {
			switch e.Cause {
			case sched.CauseUintrSend:
				raised[e.Proc]++
				st.maxRaised = max(st.maxRaised, raised[e.Proc])
			case sched.CauseUintr:
				raised[e.Proc]--
				if p := snap.Proc(e.Proc); p != nil && p.UintrPending {
					st.wokenStillPending++
				}
			}
		}
		s := step{snap: snap, hasEvent: len(evs) > 0}
		if s.hasEvent {
			s.first, s.last = evs[0].Time, evs[len(evs)-1].Time
		}
		steps = append(steps, s)
	}
	if m.Len() == 0 {
		t.Fatal("no events")
	}
	// At(T) holds every event at T, so it is compared only for steps
	// whose last event is earlier than the next step's first event.
	checked := 0
	for i, s := range steps {
		if !s.hasEvent || (i+1 < len(steps) && steps[i+1].hasEvent && steps[i+1].first <= s.last) {
			continue
		}
		if err := agree(m.At(s.last), s.snap); err != nil {
			t.Fatalf("At(%d) after step %d: %v", s.last, i, err)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no instant checked with At")
	}
	t.Logf("%s: %d steps, %d events, %d instants checked with At", scenario, len(steps), m.Len(), checked)
	return st
}

func agree(got, want *model.Snapshot) error {
	for _, w := range want.Cos {
		g := got.Co(w.ID)
		if g == nil {
			if w.State == sched.Exited {
				continue
			}
			return fmt.Errorf("co %d (%s) missing from model", w.ID, w.Name)
		}
		if g.State != w.State || g.Prio != w.Prio || g.Proc != w.Proc {
			return fmt.Errorf("co %d (%s): model %v/p%d, sandbox %v/p%d", w.ID, w.Name, g.State, g.Prio, w.State, w.Prio)
		}
	}
	for _, w := range want.Procs {
		g := got.Proc(w.ID)
		if g == nil {
			if w.Ready() == 0 && w.Current == sched.NoCo {
				continue
			}
			return fmt.Errorf("proc %d missing", w.ID)
		}
		if fmt.Sprint(g.Queues) != fmt.Sprint(w.Queues) {
			return fmt.Errorf("proc %d queues: model %v, sandbox %v", w.ID, g.Queues, w.Queues)
		}
		if g.Current != w.Current {
			return fmt.Errorf("proc %d current: model %d, sandbox %d", w.ID, g.Current, w.Current)
		}
		if g.UintrPending != w.UintrPending {
			return fmt.Errorf("proc %d uintr pending: model %v, sandbox %v", w.ID, g.UintrPending, w.UintrPending)
		}
		if g.Prio != w.Prio {
			return fmt.Errorf("proc %d global prio: model %d, sandbox %d", w.ID, g.Prio, w.Prio)
		}
	}
	return nil
}

func TestOpenErrors(t *testing.T) {
	if _, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{Board: "no/such/board.yaml"}}); err == nil || !strings.Contains(err.Error(), "no/such/board.yaml") {
		t.Errorf("qemu with a missing board: %v", err)
	}
	if _, err := target.Open(target.Options{Kind: "bogus"}); err == nil {
		t.Error("bogus kind accepted")
	}
	if _, err := target.Open(target.Options{Scenario: "no-such-scenario"}); err == nil {
		t.Error("missing scenario accepted")
	}
}

func TestRestart(t *testing.T) {
	tg, err := target.OpenSandbox("tiny")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := tg.Step()
	tg.Step()
	if err := tg.(target.Restarter).Restart(); err != nil {
		t.Fatal(err)
	}
	b, _ := tg.Step()
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("restart did not start over: %v vs %v", a, b)
	}
}
