package target_test

import (
	"errors"
	"fmt"
	"testing"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// TestModelTracksSandbox runs every built-in scenario step by step and
// checks that the model, fed only with events, agrees with the sandbox's
// own snapshot after every scheduling decision: coroutine states and
// priorities, ready queues, current coroutines and global priorities.
func TestModelTracksSandbox(t *testing.T) {
	for _, name := range target.Scenarios() {
		t.Run(name, func(t *testing.T) {
			tg, err := target.OpenSandbox(name)
			if err != nil {
				t.Fatal(err)
			}
			m := model.New()
			steps := 0
			for !tg.Done() && steps < 3000 {
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
					t.Fatalf("step %d (t=%d): %v", steps, tg.Now(), err)
				}
				steps++
			}
			if m.Len() == 0 {
				t.Fatal("no events")
			}
			t.Logf("%s: %d steps, %d events", name, steps, m.Len())
		})
	}
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
		if g.Prio != w.Prio && !w.UintrPending {
			return fmt.Errorf("proc %d global prio: model %d, sandbox %d", w.ID, g.Prio, w.Prio)
		}
	}
	return nil
}

func TestOpenErrors(t *testing.T) {
	if _, err := target.Open(target.Options{Kind: "qemu"}); !errors.Is(err, target.ErrUnsupported) {
		t.Errorf("qemu: %v", err)
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
