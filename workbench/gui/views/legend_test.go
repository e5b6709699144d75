package views

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"copslab/sched"
)

// TestTimelineLegendExplainsEveryColour: each state colour the lanes use,
// the wakeup arrow, the cursor and the hart lanes' hatch have an entry,
// and the whole row fits the width the goldens and README renders use.
func TestTimelineLegendExplainsEveryColour(t *testing.T) {
	items := timelineLegend()
	has := func(ok func(legendItem) bool) bool {
		for _, it := range items {
			if ok(it) {
				return true
			}
		}
		return false
	}
	for s := sched.Created; s < sched.Exited; s++ {
		if !has(func(it legendItem) bool { return it.fill == StateColor[s] && it.label == s.String() }) {
			t.Errorf("no legend entry for %v", s)
		}
	}
	if !has(func(it legendItem) bool { return it.arrow && it.fill == colFlow }) ||
		!has(func(it legendItem) bool { return it.fill == colCursor }) ||
		!has(func(it legendItem) bool { return it.hatch }) {
		t.Errorf("legend lacks the wakeup arrow, the cursor or the hart lanes: %+v", items)
	}
	var d drawList
	if n := drawLegend(&d, 4, 0, 900, items); n != len(items) {
		t.Errorf("only %d of %d legend items fit 900 px", n, len(items))
	}
	if n := drawLegend(&d, 4, 0, 300, items); n == 0 || n == len(items) {
		t.Errorf("%d items at 300 px: want some, not all (whole items are left out)", n)
	}
}

// TestTaskStateCellColour: the State cell carries the state's colour (the
// timeline's), other cells none.
func TestTaskStateCellColour(t *testing.T) {
	test.NewTempApp(t)
	cell := newTaskCell()
	r := &TaskRow{ID: 7, Name: "w", State: sched.Blocked}
	bar := func() *canvas.Rectangle {
		for _, o := range cell.(*fyne.Container).Objects {
			if b, ok := o.(*canvas.Rectangle); ok {
				return b
			}
		}
		t.Fatal("cell without a colour bar")
		return nil
	}
	v := NewTasks()
	v.setCell(cell, r, stateCol)
	if b := bar(); !b.Visible() || b.FillColor != StateColor[sched.Blocked] {
		t.Fatalf("state cell bar visible %v colour %v, want %v", b.Visible(), b.FillColor, StateColor[sched.Blocked])
	}
	v.setCell(cell, r, 0)
	if bar().Visible() {
		t.Fatal("id cell shows a state bar")
	}
}
