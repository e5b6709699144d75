package views_test

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"copslab/sched/sandbox"
	"copslab/workbench/gui/views"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// TestWarningsView: the inversion scenario's warning is listed with names
// once the cursor has passed it, and not before.
func TestWarningsView(t *testing.T) {
	test.NewTempApp(t)
	sc, err := sandbox.LoadScenario(filepath.Join("..", "..", "..", "lessons", "scenarios", "inversion.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := target.NewSandbox(sc, "inversion")
	if err != nil {
		t.Fatal(err)
	}
	m := model.New()
	s, _ := tg.Snapshot()
	m.Learn(s)
	for _, until := range []uint64{10_000, 1 << 40} { // a snapshot while mid lives teaches its name, as the window's keyframes do
		evs, err := tg.(target.Runner).RunUntil(until)
		if err != nil {
			t.Fatal(err)
		}
		m.Add(evs...)
		s, _ := tg.Snapshot()
		m.Learn(s)
	}
	if len(m.Warnings()) != 1 {
		t.Fatalf("%d warnings", len(m.Warnings()))
	}
	v := views.NewWarnings()
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 300))
	text := func() string {
		var out []string
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			switch o := o.(type) {
			case *widget.Label:
				out = append(out, o.Text)
			case *fyne.Container:
				for _, c := range o.Objects {
					walk(c)
				}
			}
		}
		for _, o := range test.WidgetRenderer(v).Objects() {
			walk(o)
		}
		return strings.Join(out, "\n")
	}
	at := m.Warnings()[0].T
	v.Update(m, m.At(at-1), at-1)
	if v.Title() != "Warnings (0)" || !strings.Contains(text(), "No warnings") {
		t.Fatalf("before: %q %q", v.Title(), text())
	}
	v.Update(m, m.At(at), at)
	if got := text(); v.Title() != "Warnings (1)" || !strings.Contains(got, "priority-inversion") || !strings.Contains(got, "hi waited") || !strings.Contains(got, "while mid ran") {
		t.Fatalf("after: %q %q", v.Title(), got)
	}
}
