package views

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// drawList is a pool of canvas objects for views whose content varies in
// size (queues, wakeups, the diagram). Each frame starts with reset, asks
// for rectangles, texts and lines in order, and ends with finish, which
// hides what this frame did not use. Objects are created only when a frame
// needs more than any frame before; otherwise they are reused.
type drawList struct {
	rects []*canvas.Rectangle
	texts []*canvas.Text
	lines []*canvas.Line
	nr    int
	nt    int
	nl    int
	objs  []fyne.CanvasObject
}

func (d *drawList) reset() { d.nr, d.nt, d.nl = 0, 0, 0 }

func (d *drawList) rect(x, y, w, h float32, fill, stroke color.Color) *canvas.Rectangle {
	if d.nr == len(d.rects) {
		r := canvas.NewRectangle(fill)
		d.rects = append(d.rects, r)
		d.objs = nil
	}
	r := d.rects[d.nr]
	d.nr++
	r.FillColor, r.StrokeColor = fill, stroke
	r.StrokeWidth = 0
	if stroke != nil {
		r.StrokeWidth = 1
	}
	r.Move(fyne.NewPos(x, y))
	r.Resize(fyne.NewSize(w, h))
	r.Show()
	return r
}

func (d *drawList) text(x, y float32, s string, c color.Color, size float32, bold bool) *canvas.Text {
	if d.nt == len(d.texts) {
		d.texts = append(d.texts, canvas.NewText("", c))
		d.objs = nil
	}
	t := d.texts[d.nt]
	d.nt++
	t.Text, t.Color, t.TextSize = s, c, size
	t.TextStyle = fyne.TextStyle{Bold: bold}
	t.Alignment = fyne.TextAlignLeading
	t.Move(fyne.NewPos(x, y))
	t.Resize(t.MinSize())
	t.Show()
	return t
}

func (d *drawList) line(x1, y1, x2, y2 float32, c color.Color, w float32) {
	if d.nl == len(d.lines) {
		d.lines = append(d.lines, canvas.NewLine(c))
		d.objs = nil
	}
	l := d.lines[d.nl]
	d.nl++
	l.StrokeColor, l.StrokeWidth = c, w
	l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
	l.Show()
}

// arrow draws a line with a head at (x2, y2).
func (d *drawList) arrow(x1, y1, x2, y2 float32, c color.Color, w float32) {
	d.line(x1, y1, x2, y2, c, w)
	dx, dy := x2-x1, y2-y1
	n := sqrt32(dx*dx + dy*dy)
	if n < 1 {
		return
	}
	dx, dy = dx/n*8, dy/n*8
	d.line(x2, y2, x2-dx-dy*0.5, y2-dy+dx*0.5, c, w)
	d.line(x2, y2, x2-dx+dy*0.5, y2-dy-dx*0.5, c, w)
}

// finish hides unused objects and refreshes the used ones.
func (d *drawList) finish() {
	for i, r := range d.rects {
		if i >= d.nr {
			r.Hide()
		} else {
			r.Refresh()
		}
	}
	for i, t := range d.texts {
		if i >= d.nt {
			t.Hide()
		} else {
			t.Refresh()
		}
	}
	for i, l := range d.lines {
		if i >= d.nl {
			l.Hide()
		} else {
			l.Refresh()
		}
	}
}

// objects returns every pooled object: lines under rectangles under texts.
func (d *drawList) objects() []fyne.CanvasObject {
	if d.objs == nil {
		for _, r := range d.rects {
			d.objs = append(d.objs, r)
		}
		for _, l := range d.lines {
			d.objs = append(d.objs, l)
		}
		for _, t := range d.texts {
			d.objs = append(d.objs, t)
		}
	}
	return d.objs
}

func sqrt32(v float32) float32 {
	x := v
	if x <= 0 {
		return 0
	}
	for i := 0; i < 12; i++ {
		x = (x + v/x) / 2
	}
	return x
}
