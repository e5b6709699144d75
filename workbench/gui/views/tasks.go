package views

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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
}

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
				setTaskCell(o, &v.rows[id.Row], id.Col)
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
	for i, w := range []float32{60, 90, 120, 110, 50, 90, 80, 80} {
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
	v.Table.Refresh()
}

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

// setTaskCell fills a cell made by newTaskCell with column col of r.
func setTaskCell(o fyne.CanvasObject, r *TaskRow, col int) {
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
	lbl.SetText(r.Cells()[col])
	if col == stateCol && r.State < sched.NumStates {
		bar.FillColor = StateColor[r.State]
		bar.Show()
		bar.Refresh()
	} else {
		bar.Hide()
	}
	c.Refresh()
}
