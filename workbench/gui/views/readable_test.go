package views

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// TestContrast: every pair of text and background colour the views draw
// passes WCAG 2 level AA (4.5:1).
func TestContrast(t *testing.T) {
	type pair struct {
		what   string
		fg, bg color.NRGBA
	}
	var pairs []pair
	for _, bg := range []struct {
		name string
		c    color.NRGBA
	}{{"view background", colBG}, {"white box", colBox}} {
		for _, fg := range []struct {
			name string
			c    color.NRGBA
		}{{"text", colText}, {"dim text", colDim}, {"latest transition", colHot}, {"uintr note", colUintr}, {"wakeup label", colCursor}} {
			pairs = append(pairs, pair{fg.name + " on " + bg.name, fg.c, bg.c})
		}
	}
	for s := sched.State(0); s < sched.NumStates; s++ {
		pairs = append(pairs, pair{"label on a " + s.String() + " box/chip", textOn(StateColor[s]), StateColor[s]})
	}
	for p := uint8(0); p <= sched.NumPrio; p++ { // NumPrio: idle
		pairs = append(pairs, pair{fmt.Sprintf("label on a priority-%d chip", p), textOn(prioColor(p)), prioColor(p)})
	}
	pairs = append(pairs, pair{"label on a wakeup-stage box", textOn(colGrid), colGrid})
	for _, p := range pairs {
		if c := Contrast(p.fg, p.bg); c < MinContrast {
			t.Errorf("%s: contrast %.2f < %.1f", p.what, c, MinContrast)
		}
	}
	// The formula itself: black on white is 21, a colour on itself 1.
	if c := Contrast(color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}); c < 20.99 || c > 21.01 {
		t.Errorf("black on white: %.3f", c)
	}
}

// webserverModel runs the built-in webserver scenario (long process
// names: "web-thr/conn#3") for 1 ms of virtual time.
func webserverModel(t *testing.T) *model.Model {
	t.Helper()
	tg, err := target.OpenSandbox("webserver")
	if err != nil {
		t.Fatal(err)
	}
	m := model.New()
	d := session.New(tg)
	b, err := d.Start()
	for err == nil {
		b.ApplyTo(m)
		if b.Done || b.Now >= 1_000_000 {
			break
		}
		b, err = d.RunUntil(1_000_000, 1<<16)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// showWebserver shows view v of the webserver model at its end in a test
// window of the given size, closed when the test ends.
func showWebserver(t *testing.T, v interface {
	fyne.CanvasObject
	View
}, w, h float32) *model.Model {
	t.Helper()
	test.NewApp()
	m := webserverModel(t)
	win := test.NewWindow(v)
	t.Cleanup(win.Close)
	win.Resize(fyne.NewSize(w, h))
	v.Update(m, m.Now(), m.End())
	return m
}

func textW(s string, size float32, bold bool) float32 {
	return fyne.MeasureText(s, size, fyne.TextStyle{Bold: bold}).Width
}

// TestTimelineLabelsFit: every lane label fits its gutter, ends with the
// lane's id and priority (elided in the middle, never at the end), and
// the tooltip gives the whole name.
func TestTimelineLabelsFit(t *testing.T) {
	tl := NewTimeline()
	m := showWebserver(t, tl, 1100, 900)
	harts := len(m.HartLanes())
	elided := -1
	shown := 0
	for i, n := range tl.names {
		if !n.Visible() {
			continue
		}
		shown++
		if wd := textW(n.Text, n.TextSize, n.TextStyle.Bold); wd > tlLabelW {
			t.Errorf("label %q is %.0f px wide, the gutter has %d", n.Text, wd, tlLabelW)
		}
		if li := tl.first + i; li >= harts {
			l := m.Lanes()[li-harts]
			if tail := fmt.Sprintf(" #%d p%d", l.ID, tl.prioOf(l.ID)); !strings.HasSuffix(n.Text, tail) {
				t.Errorf("label %q lost its tail %q", n.Text, tail)
			}
		}
		if n.Text != tl.full[i] {
			if !strings.Contains(n.Text, "…") {
				t.Errorf("label %q differs from %q without an ellipsis", n.Text, tl.full[i])
			}
			elided = i
		}
	}
	if shown < 20 {
		t.Fatalf("only %d labels shown", shown)
	}
	if elided < 0 {
		t.Fatal("no label needed eliding: the test proves nothing")
	}
	y := tlAxis + float32(elided)*(tlLane+tlGap) + 4
	tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(40, y)}})
	if tip := tl.Tooltip(); tip != tl.full[elided] {
		t.Errorf("tooltip %q, want %q", tip, tl.full[elided])
	}
	tl.MouseOut()
	if tl.Tooltip() != "" {
		t.Error("tooltip still shown after the pointer left")
	}
}

// TestQueueChipsFit: the global array's chips name each process legibly:
// every label fits its chip and different processes get different labels.
func TestQueueChipsFit(t *testing.T) {
	q := NewQueues()
	m := showWebserver(t, q, 1100, 600)
	s := m.Now()
	seen := map[string]bool{}
	n := 0
	for _, tx := range q.d.texts[:q.d.nt] {
		if tx.TextSize != 10 || tx.Position().Y != 23 { // the chips' name line

			continue
		}
		n++
		if seen[tx.Text] {
			t.Errorf("two chips read %q", tx.Text)
		}
		seen[tx.Text] = true
		if wd := textW(tx.Text, 10, false); wd > maxChipW-8 {
			t.Errorf("chip label %q is %.0f px wide", tx.Text, wd)
		}
	}
	if n != len(s.Procs) {
		t.Errorf("%d chips for %d processes", n, len(s.Procs))
	}
	// Hovering an elided chip shows its whole name.
	for _, c := range q.chips {
		if c.full == c.shown {
			continue
		}
		q.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(c.x+c.w/2, c.y+c.h/2)}})
		if q.Tooltip() != c.full {
			t.Errorf("tooltip over %q: %q, want %q", c.shown, q.Tooltip(), c.full)
		}
		q.MouseOut()
		if q.Tooltip() != "" {
			t.Error("tooltip still shown after the pointer left")
		}
		return
	}
	t.Error("no chip needed eliding: the tooltip is untested")
}

// TestTaskColumnsFit: the Process and Name columns are wide enough for
// their text, so a thread's process no longer runs into its name.
func TestTaskColumnsFit(t *testing.T) {
	v := NewTasks()
	showWebserver(t, v, 1100, 600)
	long := false
	for i := range v.Rows() {
		r := &v.Rows()[i]
		long = long || strings.HasPrefix(r.Process, "web-thr/")
		for col := range TaskColumns {
			txt := v.CellText(r, col)
			if wd := cellTextWidth(txt); wd > v.ColumnWidth(col) {
				t.Errorf("row %d column %s: %q is %.0f px, the column %.0f", r.ID, TaskColumns[col], txt, wd, v.ColumnWidth(col))
			}
			if (col == 1 || col == 2) && txt != r.Cells()[col] {
				t.Errorf("row %d column %s elided to %q though it fits the widest column", r.ID, TaskColumns[col], txt)
			}
		}
	}
	if !long {
		t.Fatal("no thread process in the table: the test proves nothing")
	}
}
