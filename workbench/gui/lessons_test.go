package gui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/gui"
	"copslab/workbench/gui/lessonpanel"
	"copslab/workbench/whatif"
)

// choose taps the prediction choice labelled label.
func (u *ui) choose(t *testing.T, p *lessonpanel.Panel, label string) {
	t.Helper()
	for name, o := range p.Controls {
		if b, ok := o.(*widget.Button); ok && len(name) > 14 && name[:14] == "lesson.choice." && b.Text == label {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no choice %q", label)
}

func (u *ui) tapPanel(t *testing.T, p *lessonpanel.Panel, name string) {
	t.Helper()
	b, ok := p.Controls[name].(*widget.Button)
	if !ok {
		t.Fatalf("no button %s", name)
	}
	if b.Disabled() {
		t.Fatalf("button %s is disabled", name)
	}
	test.Tap(b)
}

// TestLessonPanelWalk walks the first lesson in the window: the panel
// offers it on the first start, starts it, answers the predictions (one
// right, one wrong), runs the last step, and every step's live checks
// pass; the score and the remembered step follow.
func TestLessonPanelWalk(t *testing.T) {
	u := newUI(t, "webserver")
	p := u.Lessons()
	if st := p.State(); st.Lesson != "01-coroutine-states" || st.Started {
		t.Fatalf("offered %+v", st)
	}
	idle := func() bool { s := p.State(); return s.Started && !s.Busy && s.Acted }
	u.tapPanel(t, p, "lesson.start")
	u.pump(t, func() bool { return p.State().Started })
	p.Refresh()
	if st := p.State(); !st.Passed || len(st.Checks) != 2 {
		t.Fatalf("step 1: %+v", st)
	}
	u.tapPanel(t, p, "lesson.next")
	if st := p.State(); st.Step != 1 || st.Acted {
		t.Fatalf("step 2 before the prediction: %+v", st)
	}
	u.choose(t, p, "reader")
	u.pump(t, idle)
	if st := p.State(); !st.Passed || st.Score != 1 || st.Asked != 1 {
		t.Fatalf("step 2: %+v", st)
	}
	u.tapPanel(t, p, "lesson.next")
	u.choose(t, p, "Blocked") // wrong: it becomes Ready
	u.pump(t, idle)
	if st := p.State(); !st.Passed || st.Score != 1 || st.Asked != 2 {
		t.Fatalf("step 3: %+v", st)
	}
	u.tapPanel(t, p, "lesson.next")
	u.tapPanel(t, p, "lesson.run")
	u.pump(t, idle)
	if st := p.State(); !st.Passed || st.Step != 3 || len(st.Checks) != 4 {
		t.Fatalf("step 4: %+v", st)
	}
}

// TestLessonPanelFailingCheck: a check that does not hold shows as
// failed, and turns green when the student makes it hold by stepping on.
func TestLessonPanelLiveChecks(t *testing.T) {
	u := newUI(t, "tiny")
	p := u.Lessons()
	u.tapPanel(t, p, "lesson.start")
	u.pump(t, func() bool { return p.State().Started })
	// Step 1 checks that both coroutines are Ready; one more decision
	// outside the lesson (the Step button) breaks that, live.
	u.tap("step")
	u.pump(t, func() bool { return u.C.Steps == 2 })
	if st := p.State(); st.Passed || st.Checks[0] {
		t.Fatalf("after a decision of the student's own: %+v", st)
	}
}

// TestWhatIfReplay: the window's what-if replays the running scenario on
// the worker with a change and shows both timelines, the divergence in
// the heading.
func TestWhatIfReplay(t *testing.T) {
	u := newUI(t, "tiny")
	var got *whatif.Result
	var gerr error
	u.WhatIf(whatif.Change{At: 1000, Co: "reader", Prio: 7}, 100_000, func(r *whatif.Result, err error) { got, gerr = r, err })
	u.pump(t, func() bool { return got != nil || gerr != nil })
	if gerr != nil || !got.Diverged || got.T != 2000 {
		t.Fatalf("replay %+v, %v", got, gerr)
	}
	v := gui.WhatIfView(got)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 600))
	var head string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Label:
			if strings.HasPrefix(o.Text, "What if") {
				head = o.Text
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	walk(v)
	if !strings.Contains(head, "first divergence at 2µs") || !strings.Contains(head, "worker Ready→Running") {
		t.Fatalf("heading %q", head)
	}
}

// TestWhatIfDialog: the What if… button asks for a change; Replay runs it
// and opens the comparison window.
func TestWhatIfDialog(t *testing.T) {
	u := newUI(t, "tiny")
	win := test.NewWindow(u.Content()) // the dialog needs the window that shows the workbench
	defer win.Close()
	win.Resize(fyne.NewSize(1200, 800))
	u.tap("whatif")
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	var replay *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Replay" {
			replay = b
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, x := range test.WidgetRenderer(w).Objects() {
				walk(x)
			}
		}
	}
	walk(top)
	if replay == nil {
		t.Fatal("no Replay button in the dialog")
	}
	before := len(fyne.CurrentApp().Driver().AllWindows())
	test.Tap(replay)
	u.pump(t, func() bool { return len(fyne.CurrentApp().Driver().AllWindows()) > before })
}

type prefs map[string]string

func (p prefs) String(k string) string { return p[k] }
func (p prefs) SetString(k, v string)  { p[k] = v }

// TestLessonPanelResume: a remembered lesson and step are offered; Resume
// replays the earlier steps, and the step's queue_order prediction, typed
// in, is scored against the replayed run.
func TestLessonPanelResume(t *testing.T) {
	u := newUI(t, "tiny")
	p := u.Lessons()
	store := prefs{lessonpanel.KeyLesson: "02-ready-queues", lessonpanel.KeyStep: "2"}
	p.UseStore(store)
	if st := p.State(); st.Lesson != "02-ready-queues" || st.Step != 2 || st.Started {
		t.Fatalf("offered %+v", st)
	}
	u.tapPanel(t, p, "lesson.start")
	u.pump(t, func() bool { s := p.State(); return s.Started && !s.Busy })
	if st := p.State(); st.Step != 2 || st.Acted {
		t.Fatalf("resumed at %+v", st)
	}
	p.Controls["lesson.order"].(*widget.Entry).SetText("c, a")
	u.tapPanel(t, p, "lesson.choice.0")
	u.pump(t, func() bool { s := p.State(); return s.Acted && !s.Busy })
	if st := p.State(); !st.Passed || st.Score != 1 {
		t.Fatalf("after the prediction: %+v", st)
	}
	u.tapPanel(t, p, "lesson.prev") // back: starts over and replays step 1
	u.pump(t, func() bool { s := p.State(); return s.Started && !s.Busy && s.Step == 1 })
	if store[lessonpanel.KeyStep] != "1" {
		t.Fatalf("remembered step %q", store[lessonpanel.KeyStep])
	}
}
