package lesson_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"copslab/lessons"
	"copslab/workbench/lesson"
)

// TestEveryLessonPasses runs every lesson of the lessons folder headless
// on the sandbox, as `copslab lesson check all` does.
func TestEveryLessonPasses(t *testing.T) {
	ls, err := lesson.Load(lessons.FS, "lessons")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 3 {
		t.Fatalf("only %d lessons", len(ls))
	}
	env := &lesson.Env{FS: lessons.FS}
	for _, l := range ls {
		t.Run(l.Name, func(t *testing.T) {
			r := env.Run(l)
			if r.Error != "" {
				t.Fatal(r.Error)
			}
			for _, s := range r.Steps {
				if s.Passed {
					continue
				}
				t.Errorf("step %d %q: error %q", s.Step, s.Title, s.Error)
				for _, c := range s.Checks {
					if !c.OK {
						t.Errorf("  %s (line %d): got %s", c.Check, c.Line, c.Got)
					}
				}
				if s.Predict != nil && !s.Predict.Holds {
					t.Errorf("  prediction: expected %v, observed %v", s.Predict.Expected, s.Predict.Observed)
				}
			}
			if !r.Passed {
				t.Fatal("lesson failed")
			}
		})
	}
}

// TestWrongExpectationsFail: checks and predictions that do not match the
// run fail, each with what the model showed.
func TestWrongExpectationsFail(t *testing.T) {
	src := "---\ntitle: wrong\nscenario: tiny\n---\n## S\n```yaml\n" + `predict: {ask: "first?", what: next_run, answer: worker}
do: {step: 1}
check:
  - state: {co: reader, is: Running}
  - running: {hart: 0, co: reader}
  - queue: {proc: app, prio: 7, head: worker}
  - global_prio: {proc: app, is: "0"}
  - count: {co: reader, cause: fetch, min: 2}
  - order: {event: run, names: [worker, reader]}
  - state: {co: nobody, is: Ready}
  - chain: {stage: delivery, below: 1ms}
  - warning: {kind: starvation}
  - finished: {is: true}
` + "```\n"
	l, err := lesson.Parse([]byte(src), "wrong.md", "wrong")
	if err != nil {
		t.Fatal(err)
	}
	r := (&lesson.Env{FS: fstest.MapFS{}}).Run(l)
	if r.Passed || len(r.Steps) != 1 {
		t.Fatalf("report %+v", r)
	}
	s := r.Steps[0]
	want := []string{"reader is Blocked", "hart 0 runs worker", "ready[7] of app is []", "global priority of app is 7",
		"1 events", "worker at 2µs", "no coroutine nobody", "no user-interrupt chain has reached", "0 matching warnings", "2 coroutines not exited"}
	if len(s.Checks) != len(want) {
		t.Fatalf("%d results", len(s.Checks))
	}
	for i, c := range s.Checks {
		if c.OK || !strings.Contains(c.Got, want[i]) {
			t.Errorf("check %d %q: ok=%v got %q, want it to fail with %q", i, c.Check, c.OK, c.Got, want[i])
		}
	}
	if p := s.Predict; p == nil || p.Holds || p.Observed[0] != "reader" {
		t.Errorf("prediction %+v", p)
	}
}
