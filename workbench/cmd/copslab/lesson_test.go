package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type checkOutput struct {
	Target  string `json:"target"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
	Lessons []struct {
		Lesson  string `json:"lesson"`
		Passed  bool   `json:"passed"`
		Skipped string `json:"skipped"`
		Steps   []struct {
			Step   int  `json:"step"`
			Passed bool `json:"passed"`
		} `json:"steps"`
	} `json:"lessons"`
}

// failing lists "lesson:step" of every failed step.
func (o *checkOutput) failing() []string {
	var out []string
	for _, l := range o.Lessons {
		for _, s := range l.Steps {
			if !s.Passed {
				out = append(out, fmt.Sprintf("%s:%d", l.Lesson, s.Step))
			}
		}
	}
	return out
}

// TestLessonCheckAll: every built-in lesson passes headless on the
// sandbox (at least one per concept of the design), list and check
// agree, the JSON is complete, and unknown names and the QEMU target give
// clear errors.
func TestLessonCheckAll(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var list bytes.Buffer
	if err := runLesson([]string{"list", "--json"}, &list); err != nil {
		t.Fatal(err)
	}
	var items []struct{ Name string }
	if err := json.Unmarshal(list.Bytes(), &items); err != nil || len(items) < 11 {
		t.Fatalf("list: %v, %d lessons", err, len(items))
	}
	var out bytes.Buffer
	if err := runLesson([]string{"check", "all", "--json"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	var o checkOutput
	if err := json.Unmarshal(out.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	if o.Target != "sandbox" || o.Failed != 0 || o.Passed+o.Skipped != len(items) || o.Skipped > 1 || len(o.Lessons) != len(items) {
		t.Fatalf("target %s, %d passed, %d failed of %d", o.Target, o.Passed, o.Failed, len(items))
	}
	for _, l := range o.Lessons {
		if len(l.Steps) == 0 && l.Skipped == "" {
			t.Errorf("%s: no steps in the report", l.Lesson)
		}
	}
	if err := runLesson([]string{"check", "nosuch"}, &out); err == nil || !strings.Contains(err.Error(), `no lesson "nosuch"`) {
		t.Errorf("unknown lesson: %v", err)
	}
	if err := runLesson([]string{"check", "all", "--target", "qemu", "--kernel", filepath.Join(t.TempDir(), "none.elf")}, &out); err == nil || !strings.Contains(err.Error(), "make kernel") {
		t.Errorf("qemu without a kernel: %v", err)
	}
	if err := runLesson([]string{"check", "all", "--lessons", filepath.Join(t.TempDir(), "none")}, &out); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing folder: %v", err)
	}
}

// TestWrongSchedulers builds copslab with each deliberately wrong
// scheduler (sched/policy_bugs.go) and runs `lesson check all`: the exit
// status is 1 and exactly the steps about the broken mechanism fail.
// FIFO ready queues break the lessons on priority (queues, local/global
// priority, priority under load); without the boost only the step of the
// user-interrupt lesson that shows the boost fails.
func TestWrongSchedulers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds copslab twice; skipped with -short")
	}
	cases := []struct {
		tag  string
		want []string
	}{
		{"copslab_bug_noboost", []string{"06-user-interrupts:3"}},
		{"copslab_bug_fifo", []string{
			"02-ready-queues:1", "02-ready-queues:2", "02-ready-queues:3", "02-ready-queues:4",
			"03-local-global-priority:1", "03-local-global-priority:3", "03-local-global-priority:4",
			"09-priority-under-load:1", "09-priority-under-load:2",
		}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			exe := filepath.Join(dir, c.tag)
			if out, err := exec.Command("go", "build", "-tags", c.tag, "-o", exe, ".").CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			cmd := exec.Command(exe, "lesson", "check", "all", "--json")
			cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir)
			cmd.Dir = dir // no lessons folder here: the built-in lessons
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v (want status 1)\n%s", err, stderr.String())
			}
			var o checkOutput
			if err := json.Unmarshal(stdout.Bytes(), &o); err != nil {
				t.Fatalf("%v\n%s", err, stdout.String())
			}
			if got := o.failing(); !slices.Equal(got, c.want) {
				t.Fatalf("failing steps %v, want %v", got, c.want)
			}
		})
	}
}
