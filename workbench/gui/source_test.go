package gui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"copslab/workbench/delve"
)

// pumpFor is pump with a deadline long enough to build the debuggee and
// start dlv on a loaded machine.
func (u *ui) pumpFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.After(d)
	for !cond() {
		select {
		case f := <-u.posts:
			f()
		case <-deadline:
			t.Fatalf("timed out; the Delve pane says: %s", u.label("dlv-status"))
		}
	}
}

func (u *ui) label(name string) string { return u.Controls[name].(*widget.Label).Text }
func (u *ui) grid(name string) string  { return u.Controls[name].(*widget.TextGrid).Text() }

// TestSourcePaneWithoutDlv: with no dlv, Step into says so in the pane
// and the run controls keep working.
func TestSourcePaneWithoutDlv(t *testing.T) {
	t.Setenv("COPSLAB_DLV", filepath.Join(t.TempDir(), "no-dlv-here"))
	u := newUI(t, "tiny")
	t.Cleanup(u.Close)
	u.tap("debug")
	u.pumpFor(t, time.Minute, func() bool { return strings.Contains(u.label("dlv-status"), "not available") })
	msg := u.label("dlv-status")
	if !strings.Contains(msg, "dlv") || !strings.Contains(msg, "make prereqs") {
		t.Fatalf("message does not say what is missing and what to do: %q", msg)
	}
	t.Logf("pane: %s", msg)
	before := u.C.M.Len()
	u.tap("step")
	u.pump(t, func() bool { return u.C.Steps == 2 })
	if u.C.M.Len() <= before {
		t.Fatalf("Step after the Delve failure recorded no events (%d → %d)", before, u.C.M.Len())
	}
}

// TestSourcePaneDlvFails: a dlv that exits at once gives its message in the
// pane, and the run controls keep working.
func TestSourcePaneDlvFails(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the debuggee; skipped with -short")
	}
	bad := filepath.Join(t.TempDir(), "dlv")
	if err := os.WriteFile(bad, []byte("#!/bin/sh\necho 'could not attach: operation not permitted' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COPSLAB_DLV", bad)
	u := newUI(t, "tiny")
	t.Cleanup(u.Close)
	u.tap("debug")
	u.pumpFor(t, 5*time.Minute, func() bool { return strings.Contains(u.label("dlv-status"), "not available") })
	if msg := u.label("dlv-status"); !strings.Contains(msg, "exited before listening") || !strings.Contains(msg, "operation not permitted") {
		t.Fatalf("message does not say why dlv failed: %q", msg)
	}
	u.tap("step")
	u.pump(t, func() bool { return u.C.Steps == 2 })
}

// TestSourcePaneStopsInDecision: Step into at the time cursor starts a real
// dlv and shows the decision function's current line, its arguments and
// locals; Next moves the line.
func TestSourcePaneStopsInDecision(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the debuggee and runs dlv; skipped with -short")
	}
	if _, err := delve.FindDlv(""); err != nil {
		t.Skip(err)
	}
	u := newUI(t, "tiny")
	t.Cleanup(u.Close)
	u.tap("step")
	u.tap("step")
	u.pump(t, func() bool { return u.C.Steps == 3 })
	u.tap("debug")
	u.pumpFor(t, 6*time.Minute, func() bool {
		s := u.label("dlv-status")
		return strings.Contains(s, "at ") && strings.Contains(s, delve.DecisionFunc) || strings.Contains(s, "not available")
	})
	if s := u.label("dlv-status"); !strings.Contains(s, delve.DecisionFunc) {
		t.Fatalf("pane: %s", s)
	}
	src := u.grid("dlv-source")
	cur := ""
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "▶") {
			cur = l
		}
	}
	if cur == "" || !strings.Contains(src, "func (") {
		t.Fatalf("no current line in the source:\n%s", src)
	}
	if v := u.grid("dlv-vars"); !strings.Contains(v, "allow") || !strings.Contains(v, "goroutine") {
		t.Fatalf("arguments and stack missing:\n%s", v)
	}
	t.Logf("current line: %s", cur)
	u.tap("dlv-next")
	u.pumpFor(t, time.Minute, func() bool { return !strings.HasSuffix(u.label("dlv-status"), "…") })
	frames := u.Controls["dlv-frame"].(*widget.Select)
	if len(frames.Options) < 2 || frames.SelectedIndex() != 0 {
		t.Fatalf("frame chooser: %v, selected %d", frames.Options, frames.SelectedIndex())
	}
	frames.SetSelectedIndex(1)
	u.pumpFor(t, time.Minute, func() bool { return strings.HasPrefix(u.label("dlv-status"), "frame 1 of the stop") })
	if v := u.grid("dlv-vars"); strings.Contains(v, "allow") {
		t.Fatalf("frame 1 shows the callee's argument allow:\n%s", v)
	}
	t.Logf("frame 1: %s", u.label("dlv-status"))
	frames.SetSelectedIndex(0)
	u.pumpFor(t, time.Minute, func() bool { return strings.Contains(u.grid("dlv-vars"), "allow") })
	src2 := u.grid("dlv-source")
	for _, l := range strings.Split(src2, "\n") {
		if strings.HasPrefix(l, "▶") && l == cur {
			t.Fatalf("Next did not move the line: %s\n%s", cur, u.label("dlv-status"))
		}
	}
}
