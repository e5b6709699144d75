package views_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/sched"
	"copslab/workbench/gui/views"
)

func TestTasksSortAndFilter(t *testing.T) {
	test.NewTempApp(t)
	m := tinyModel(t, "webserver")
	v := views.NewTasks()
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 400))
	v.Update(m, m.Now(), m.End())
	all := len(v.Rows())
	if all < 20 {
		t.Fatalf("%d rows", all)
	}
	v.SortBy(7) // switches, ascending
	rows := v.Rows()
	for i := 1; i < len(rows); i++ {
		if rows[i-1].Switches > rows[i].Switches {
			t.Fatalf("not sorted by switches at %d: %d > %d", i, rows[i-1].Switches, rows[i].Switches)
		}
	}
	v.SortBy(7) // again: descending
	if r := v.Rows(); r[0].Switches < r[len(r)-1].Switches {
		t.Fatal("second click did not reverse the order")
	}
	test.Type(v.Filter, "web-thr")
	for _, r := range v.Rows() {
		if r.Process[:7] != "web-thr" {
			t.Fatalf("filter kept %+v", r)
		}
	}
	if n := len(v.Rows()); n == 0 || n == all {
		t.Fatalf("filter kept %d of %d rows", n, all)
	}
}

func TestTimelineZoomPanCursor(t *testing.T) {
	test.NewTempApp(t)
	m := tinyModel(t, "webserver")
	tl := views.NewTimeline()
	w := test.NewWindow(tl)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 400))
	tl.Update(m, m.Now(), m.End())
	a0, a1 := tl.View()
	tl.TypedRune('+')
	b0, b1 := tl.View()
	if b1-b0 >= a1-a0 {
		t.Fatalf("zoom in: %v..%v → %v..%v", a0, a1, b0, b1)
	}
	tl.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	c0, _ := tl.View()
	if c0 <= b0 {
		t.Fatal("pan right did not move the view")
	}
	tl.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(500, 100)}, Scrolled: fyne.NewDelta(0, -50)})
	d0, d1 := tl.View()
	if d1-d0 <= b1-b0 {
		t.Fatal("wheel down did not zoom out")
	}
	// a vertical drag of three lane pitches scrolls three lanes; the plot
	// then starts with lane 3 (the timeline keeps its time range).
	for i := 0; i < 6; i++ {
		tl.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -9.5)})
	}
	tl.DragEnd()
	if x0, x1 := tl.View(); x0 != d0 || x1 != d1 || tl.FirstLane() != 3 {
		t.Fatalf("after a vertical drag: first lane %d (want 3), view %v..%v", tl.FirstLane(), x0, x1)
	}
	tl.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if tl.FirstLane() != 2 {
		t.Fatalf("↑ left first lane at %d", tl.FirstLane())
	}
	var got uint64
	tl.OnCursor = func(t uint64) { got = t }
	test.TapAt(tl, fyne.NewPos(600, 100))
	want := d0 + (600-170)/(1000.0-170)*(d1-d0)
	if diff := float64(got) - want; diff > (d1-d0)/500 || diff < -(d1-d0)/500 {
		t.Fatalf("tap at x=600 set cursor %d, want about %.0f", got, want)
	}
	tl.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	if e0, e1 := tl.View(); e0 != a0 || e1 != a1 {
		t.Fatalf("Home did not fit: %v..%v, want %v..%v", e0, e1, a0, a1)
	}
}

// TestQueuesAtCursorShowsPast scrubs back to the first user-interrupt
// wake of the tiny scenario: the handler has put the reader in the
// priority-0 queue while the worker still runs; and a moment earlier,
// between uintr-send and the wake, the process was boosted to 0 with
// nothing ready at 0.
func TestQueuesAtCursorShowsPast(t *testing.T) {
	test.NewTempApp(t)
	m := tinyModel(t, "tiny")
	var send, fetch uint64
	for _, e := range m.Events() {
		if e.Cause == sched.CauseUintrSend && send == 0 {
			send = e.Time
		}
		if e.Cause == sched.CauseUintr {
			fetch = e.Time
			break
		}
	}
	if b := m.At(fetch - 1).Proc(1); b == nil || !b.UintrPending || b.Prio != 0 || len(b.Queues[0]) != 0 || fetch-1 < send {
		t.Fatalf("state before the handler's wake (send %d, wake %d): %+v", send, fetch, b)
	}
	s := m.At(fetch)
	p := s.Proc(1)
	if p == nil || p.UintrPending || len(p.Queues[0]) != 1 || s.Co(p.Queues[0][0]).Name != "reader" || s.Co(p.Current) == nil || s.Co(p.Current).Name != "worker" {
		t.Fatalf("state at the uintr wake: %+v", p)
	}
	v := views.NewQueues()
	w := test.NewWindow(v)
	defer w.Close()
	v.Update(m, s, fetch)
	if v.MinSize().Height < 100 {
		t.Fatalf("queues view min height %v", v.MinSize())
	}
}
