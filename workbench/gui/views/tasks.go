package views

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"copslab/sched"
	"copslab/workbench/model"
)

// Tasks is the task table: one row per coroutine with id, process, name,
// kind, priority, state, time in state and switches. Clicking a header
// sorts by that column (again: reverse); the entry filters rows. The state
// cell has a bar in the state's colour, the same as on the timeline.
type Tasks struct {
	widget.BaseWidget
	Filter *widget.Entry
	Table  *widget.Table
	rows   []TaskRow
	col    int
	desc   bool
	snap   *model.Snapshot
	now    uint64
	widths []float32 // column widths
}

// Column widths: the defaults, and how wide the Process and Name
// columns may grow to show their longest text (longer ones are elided in
// the middle).
var (
	taskColW    = []float32{60, 90, 120, 60, 50, 100, 80, 80}
	taskColMaxW = float32(260)
)

// NewTasks returns an empty task table.
func NewTasks() *Tasks {
	v := &Tasks{snap: &model.Snapshot{}}
	v.Filter = widget.NewEntry()
	v.Filter.SetPlaceHolder("filter (name, process, state, …)")
	v.Filter.OnChanged = func(string) { v.rebuild() }
	v.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), len(TaskColumns) },
		newTaskCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(v.rows) {
				v.setCell(o, &v.rows[id.Row], id.Col)
			}
		})
	v.Table.ShowHeaderColumn = false
	v.Table.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	v.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 {
			return
		}
		label := TaskColumns[id.Col]
		if id.Col == v.col {
			label += map[bool]string{false: " ▲", true: " ▼"}[v.desc]
		}
		b.SetText(label)
		col := id.Col
		b.OnTapped = func() { v.SortBy(col) }
	}
	v.widths = slices.Clone(taskColW)
	for i, w := range v.widths {
		v.Table.SetColumnWidth(i, w)
	}
	v.ExtendBaseWidget(v)
	return v
}

// SortBy sorts by column col; the same column again reverses the order.
func (v *Tasks) SortBy(col int) {
	if col == v.col {
		v.desc = !v.desc
	} else {
		v.col, v.desc = col, false
	}
	v.rebuild()
}

// Rows returns the rows shown.
func (v *Tasks) Rows() []TaskRow { return v.rows }

// Update shows the coroutines of s at cursor.
func (v *Tasks) Update(_ *model.Model, s *model.Snapshot, cursor uint64) {
	v.snap, v.now = s, cursor
	v.rebuild()
}

func (v *Tasks) rebuild() {
	v.rows = TaskRows(v.snap, v.now, v.Filter.Text, v.col, v.desc)
	v.fitColumns()
	v.Table.Refresh()
}

// fitColumns widens the text columns to their longest cell, up to
// taskColMaxW, so names do not run into the next column.
func (v *Tasks) fitColumns() {
	for col := range v.widths {
		w := taskColW[col]
		if col == 1 || col == 2 {
			for i := range v.rows {
				w = max(w, cellTextWidth(v.rows[i].Cells()[col])+2*theme.InnerPadding()+1)
			}
			w = min(w, taskColMaxW)
		}
		if w != v.widths[col] {
			v.widths[col] = w
			v.Table.SetColumnWidth(col, w)
		}
	}
}

func cellTextWidth(s string) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width
}

// CellText returns the text the table shows in column col of row r:
// the cell's text, elided in the middle when wider than the column.
func (v *Tasks) CellText(r *TaskRow, col int) string {
	s := r.Cells()[col]
	room := v.widths[col] - 2*theme.InnerPadding()
	if col == stateCol {
		room -= 10 // the colour bar
	}
	return fitText(s, "", room, theme.TextSize(), false)
}

// ColumnWidth returns column col's width.
func (v *Tasks) ColumnWidth(col int) float32 { return v.widths[col] }

func (v *Tasks) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(v.Filter, nil, nil, nil, v.Table))
}

// stateCol is the index of the State column in TaskColumns.
const stateCol = 5

// newTaskCell is a table cell: a colour bar (shown in the State column
// only) left of a label.
func newTaskCell() fyne.CanvasObject {
	bar := canvas.NewRectangle(colGrid)
	bar.SetMinSize(fyne.NewSize(6, 6))
	return container.NewBorder(nil, nil, bar, nil, widget.NewLabel("worker#00 long name"))
}

// setCell fills a cell made by newTaskCell with column col of r.
func (v *Tasks) setCell(o fyne.CanvasObject, r *TaskRow, col int) {
	c := o.(*fyne.Container)
	var bar *canvas.Rectangle
	var lbl *widget.Label
	for _, obj := range c.Objects {
		switch x := obj.(type) {
		case *canvas.Rectangle:
			bar = x
		case *widget.Label:
			lbl = x
		}
	}
	lbl.SetText(v.CellText(r, col))
	if col == stateCol && r.State < sched.NumStates {
		bar.FillColor = StateColor[r.State]
		bar.Show()
		bar.Refresh()
	} else {
		bar.Hide()
	}
	c.Refresh()
}
