package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"copslab/sched/sandbox"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// runWarnings runs a scenario (a built-in name or a file of the lessons
// folder) to its end in the sandbox and returns the model.
func runWarnings(t *testing.T, ref string) *model.Model {
	t.Helper()
	var sc *sandbox.Scenario
	var err error
	if filepath.Ext(ref) == ".yaml" {
		sc, err = sandbox.LoadScenario(filepath.Join("..", "..", "lessons", "scenarios", ref))
	} else {
		sc, err = sandbox.Builtin(ref)
	}
	if err != nil {
		t.Fatal(err)
	}
	tg, err := target.NewSandbox(sc, ref)
	if err != nil {
		t.Fatal(err)
	}
	d := session.New(tg)
	m := model.New()
	for !tg.Done() {
		b, err := d.Step(64)
		if err != nil {
			t.Fatal(err)
		}
		b.ApplyTo(m)
	}
	return m
}

func kinds(m *model.Model) map[model.WarnKind]int {
	n := map[model.WarnKind]int{}
	for _, w := range m.Warnings() {
		n[w.Kind]++
	}
	return n
}

// TestWarningScenarios: each warning has a scenario that raises it (and
// only it), about the right coroutine or process.
func TestWarningScenarios(t *testing.T) {
	cases := []struct {
		scenario string
		kind     model.WarnKind
		co, proc string // who it is about ("" = not checked)
	}{
		{"inversion.yaml", model.WarnInversion, "hi", ""},
		{"race-unsafe.yaml", model.WarnLostWakeup, "reader", ""},
		{"storm.yaml", model.WarnStorm, "", "poller"},
		{"starvation.yaml", model.WarnStarvation, "", ""},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			m := runWarnings(t, c.scenario)
			got := kinds(m)
			for _, w := range m.Warnings() {
				t.Logf("%v at %d: %s", w.Kind, w.T, w.Detail)
			}
			if got[c.kind] == 0 || len(got) != 1 {
				t.Fatalf("warnings %v, want only %v", got, c.kind)
			}
			w := m.Warnings()[0]
			if c.co != "" && m.Now().Co(w.Co) != nil && m.Now().Co(w.Co).Name != c.co {
				t.Errorf("about %q, want %q", m.Now().Co(w.Co).Name, c.co)
			}
			if c.proc != "" && m.Now().Proc(w.Proc).Name != c.proc {
				t.Errorf("about process %q, want %q", m.Now().Proc(w.Proc).Name, c.proc)
			}
		})
	}
}

// TestNoWarningsOnCleanScenarios: the built-in scenarios raise none,
// except priority, the saturated experiment, whose low priorities starve
// by design (and nothing else); the safe twin of the race scenario raises
// none.
func TestNoWarningsOnCleanScenarios(t *testing.T) {
	for _, ref := range append(sandbox.BuiltinNames(), "race-safe.yaml") {
		t.Run(ref, func(t *testing.T) {
			m := runWarnings(t, ref)
			got := kinds(m)
			if ref == "priority" {
				if len(got) != 1 || got[model.WarnStarvation] == 0 {
					t.Fatalf("priority: warnings %v, want starvation only", got)
				}
				for _, w := range m.Warnings() {
					if c := m.Now().Co(w.Co); c != nil && c.Prio < 3 {
						t.Errorf("priority-%d coroutine %s reported starving", c.Prio, c.Name)
					}
				}
				return
			}
			if len(got) != 0 {
				for _, w := range m.Warnings() {
					t.Log(w.Detail)
				}
				t.Fatalf("warnings %v on a clean scenario", got)
			}
		})
	}
	if _, err := os.Stat(filepath.Join("..", "..", "lessons", "scenarios", "race-safe.yaml")); err != nil {
		t.Fatal(err)
	}
}
