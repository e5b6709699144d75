package views

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/model"
)

// Warnings lists the model's automatic warnings (starvation, priority
// inversion, lost wakeup, interrupt storm) raised up to the cursor, the
// newest first, with names. It rebuilds its rows only when that set
// changes.
type Warnings struct {
	widget.BaseWidget
	box   *fyne.Container
	shown int // warnings shown (those at or before the cursor)
	model *model.Model
	Count int // warnings at or before the cursor, for the tab's title
}

// NewWarnings returns an empty warnings list.
func NewWarnings() *Warnings {
	w := &Warnings{box: container.NewVBox(), shown: -1}
	w.ExtendBaseWidget(w)
	return w
}

func (w *Warnings) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(w.box) }

// Update shows the warnings raised at or before cursor.
func (w *Warnings) Update(m *model.Model, _ *model.Snapshot, cursor uint64) {
	all := m.Warnings()
	n := 0
	for n < len(all) && all[n].T <= cursor {
		n++
	}
	w.Count = n
	if n == w.shown && m == w.model {
		return
	}
	w.shown, w.model = n, m
	w.box.RemoveAll()
	if n == 0 {
		w.box.Add(widget.NewLabel("No warnings: no starvation, priority inversion, lost wakeup or interrupt storm so far."))
	}
	for i := n - 1; i >= 0; i-- {
		l := widget.NewLabel(m.Describe(all[i]))
		l.Wrapping = fyne.TextWrapWord
		w.box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, l))
	}
	w.box.Refresh()
}

// Title is the tab title: "Warnings (N)".
func (w *Warnings) Title() string { return fmt.Sprintf("Warnings (%d)", w.Count) }
