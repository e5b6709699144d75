package gui_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/gui"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// ui is a workbench whose UI-goroutine work runs on the test goroutine:
// the controller posts functions into a channel that pump drains.
type ui struct {
	*gui.Workbench
	posts chan func()
}

func newUI(t *testing.T, scenario string) *ui {
	t.Helper()
	test.NewTempApp(t)
	tg, err := target.OpenSandbox(scenario)
	if err != nil {
		t.Fatal(err)
	}
	u := &ui{posts: make(chan func(), 64)}
	u.Workbench = gui.New(tg, model.New(), func(f func()) { u.posts <- f })
	w := test.NewWindow(u.Content())
	w.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(func() { u.C.Close(); w.Close() })
	u.pump(t, func() bool { return u.C.Steps == 1 && u.C.M.Len() > 0 }) // the initial restart and first decision
	return u
}

// pump runs posted functions until cond holds (checked after each).
func (u *ui) pump(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f := <-u.posts:
			f()
			if cond() {
				return
			}
		case <-deadline:
			t.Fatal("timed out waiting for the controller")
		}
	}
}

func (u *ui) tap(name string) { test.Tap(u.Controls[name].(*widget.Button)) }

func TestStepAndRun(t *testing.T) {
	u := newUI(t, "tiny")
	initial := u.C.M.Len()
	u.tap("step")
	u.pump(t, func() bool { return u.C.Steps == 2 })
	first := u.C.M.Len()
	if first <= initial {
		t.Fatal("a step delivered no events")
	}
	status := u.Controls["status"].(*widget.Label).Text
	u.Controls["n"].(*widget.Entry).SetText("3")
	u.tap("stepn")
	u.pump(t, func() bool { return u.C.Steps == 5 })
	if u.C.M.Len() <= first || u.Controls["status"].(*widget.Label).Text == status {
		t.Fatalf("step N changed nothing: %d events, status %q", u.C.M.Len(), status)
	}
	u.tap("run")
	if u.Controls["run"].(*widget.Button).Text != "Pause" {
		t.Fatalf("run button says %q while running", u.Controls["run"].(*widget.Button).Text)
	}
	u.pump(t, func() bool { return u.C.Done })
	if u.Controls["run"].(*widget.Button).Text != "Run" || u.C.Running {
		t.Fatal("still running after the end")
	}
	// scrub back: the views show the past, the model keeps everything.
	end := u.C.M.End()
	u.C.SetCursor(end / 2)
	if u.C.Live || u.C.Cursor != end/2 {
		t.Fatalf("cursor %d live %v", u.C.Cursor, u.C.Live)
	}
	u.tap("restart")
	u.pump(t, func() bool { return u.C.Steps == 1 && !u.C.Done && u.C.Live })
	if u.C.M.End() >= end {
		t.Fatal("restart kept the old run")
	}
	// choosing another scenario switches the target and starts over.
	u.SelectScenario("webserver")
	u.pump(t, func() bool { return u.C.Steps == 1 && u.C.M.CoName(u.C.M.Lanes()[0].ID) == "conn#0" })
}

// TestRecordingMode opens a model without a target, as copslab open does:
// run controls are disabled and scrubbing works.
func TestRecordingMode(t *testing.T) {
	test.NewTempApp(t)
	tg, err := target.OpenSandbox("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m := model.New()
	for !tg.Done() {
		evs, err := tg.Step()
		if err != nil {
			t.Fatal(err)
		}
		m.Add(evs...)
	}
	w := gui.New(nil, m, func(func()) { t.Fatal("no worker may post without a target") })
	test.NewWindow(w.Content()).Close()
	if !w.Controls["run"].(*widget.Button).Disabled() || !w.Controls["step"].(*widget.Button).Disabled() {
		t.Fatal("run controls enabled without a target")
	}
	if s := w.Controls["status"].(*widget.Label).Text; !strings.HasPrefix(s, "recording") {
		t.Fatalf("status %q", s)
	}
	w.C.SetCursor(m.End() / 2)
	if w.C.Live || w.Controls["slider"].(*widget.Slider).Value != float64(m.End()/2) {
		t.Fatal("scrubbing did not move the slider")
	}
}

// TestRestartResetsView: after zooming and scrolling the timeline,
// Restart, another scenario and Live each show the whole run again from
// the first lane (not the old 1.6–2.3 ms window of an empty new run).
func TestRestartResetsView(t *testing.T) {
	u := newUI(t, "webserver")
	u.Controls["n"].(*widget.Entry).SetText("2000")
	u.tap("stepn")
	u.pump(t, func() bool { return u.C.Steps > 1000 })
	tl := u.Timeline()
	zoom := func() {
		tl.SetView(1_600_000, 2_300_000)
		tl.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		tl.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		if t0, _ := tl.View(); t0 != 1_600_000 || tl.FirstLane() != 2 {
			t.Fatalf("zoom/scroll did not take: t0 %v first %d", t0, tl.FirstLane())
		}
	}
	fitted := func(what string) {
		t.Helper()
		t0, t1 := tl.View()
		if t0 != float64(u.C.M.Start()) || t1 < float64(u.C.M.End()) || tl.FirstLane() != 0 {
			t.Errorf("after %s the timeline shows %.0f–%.0f ns from lane %d; the run is %d–%d ns", what, t0, t1, tl.FirstLane(), u.C.M.Start(), u.C.M.End())
		}
	}
	zoom()
	u.tap("restart")
	u.pump(t, func() bool { return u.C.Steps == 1 })
	fitted("Restart")
	zoom()
	u.SelectScenario("priority")
	u.pump(t, func() bool { return u.C.Steps == 1 && u.C.M.Len() > 0 && u.C.M.CoName(u.C.M.Lanes()[0].ID) != "conn#0" })
	fitted("choosing another scenario")
	zoom()
	u.tap("live")
	fitted("Live")
}

// TestStepNRejectsNonNumber: Step N with text that is not a positive whole
// number says so in the status line and steps nothing.
func TestStepNRejectsNonNumber(t *testing.T) {
	u := newUI(t, "tiny")
	for _, bad := range []string{"ten", "", "-3", "0"} {
		u.Controls["n"].(*widget.Entry).SetText(bad)
		u.tap("stepn")
		if st := u.Controls["status"].(*widget.Label).Text; !strings.Contains(st, "is not a number of decisions") {
			t.Errorf("Step N with %q: status %q", bad, st)
		}
	}
	if u.C.Steps != 1 {
		t.Errorf("%d decisions after bad Step N input, want 1", u.C.Steps)
	}
}

// TestToolbarStable: turning Run into Pause moves no other control, and
// the status line is not cut at the window's edge.
func TestToolbarStable(t *testing.T) {
	u := newUI(t, "webserver")
	d := fyne.CurrentApp().Driver()
	before := d.AbsolutePositionForObject(u.Controls["step"])
	u.tap("run")
	if u.Controls["run"].(*widget.Button).Text != "Pause" {
		t.Fatal("run did not turn into Pause")
	}
	u.pump(t, func() bool { return u.C.Steps > 5 })
	u.Content().Refresh() // lay the bar out again with the new label
	if after := d.AbsolutePositionForObject(u.Controls["step"]); after != before {
		t.Errorf("Step moved from %v to %v when Run became Pause", before, after)
	}
	u.tap("run") // pause again
	st := u.Controls["status"].(*widget.Label)
	right := d.AbsolutePositionForObject(st).X + st.MinSize().Width
	if win := u.Content().Size().Width; right > win {
		t.Errorf("status %q ends at x=%.0f, the window is %.0f wide", st.Text, right, win)
	}
}

// TestScenarioMenuAndSummary: the scenario menu gives every built-in
// scenario with its description, and when a run ends its summary (the
// tables `copslab sandbox run` prints) is shown in the Summary tab.
func TestScenarioMenuAndSummary(t *testing.T) {
	items := gui.ScenarioMenuItems()
	if len(items) != len(target.Scenarios()) {
		t.Fatalf("%d menu items for %d scenarios", len(items), len(target.Scenarios()))
	}
	for i, n := range target.Scenarios() {
		if !strings.HasPrefix(items[i], n+" — ") || len(items[i]) < len(n)+10 {
			t.Errorf("menu item %q lacks the description of %s", items[i], n)
		}
	}
	u := newUI(t, "tiny")
	sum := u.Controls["summary"].(*widget.Label)
	if strings.Contains(sum.Text, "mean latency") {
		t.Fatal("a summary before the run ended")
	}
	u.tap("run")
	u.pump(t, func() bool { return u.C.Done })
	for _, want := range []string{"scenario tiny finished at 32.000us", "mean latency", "reader", "worker"} {
		if !strings.Contains(sum.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum.Text)
		}
	}
	if tab := u.SelectedTab(); tab != "Summary" {
		t.Errorf("the %s tab is in front after the run ended, want Summary", tab)
	}
	u.tap("restart")
	u.pump(t, func() bool { return u.C.Steps == 1 && !u.C.Done })
	if strings.Contains(sum.Text, "mean latency") {
		t.Error("the old summary survived Restart")
	}
}
