package views

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"

	"copslab/sched"
	"copslab/workbench/model"
)

// Queues shows the scheduler's queues at the cursor: the global
// per-process priority array (the process the kernel would pick next is
// highlighted), then per process its local ready bitmap, its current
// coroutine and its FIFO queue per non-empty priority, head first.
type Queues struct {
	pooled
	s     *model.Snapshot
	chips []chipHit // the global array's chips as last drawn
	tip   int       // chip under the pointer whose name is elided, or -1
	tipBG *canvas.Rectangle
	tipTx *canvas.Text
}

// chipHit is a chip's area and its whole and shown names, for the tooltip.
type chipHit struct {
	x, y, w, h  float32
	full, shown string
}

var _ desktop.Hoverable = (*Queues)(nil)

func (v *Queues) MouseIn(e *desktop.MouseEvent) { v.MouseMoved(e) }

// MouseMoved shows the whole name of an elided chip under the pointer.
func (v *Queues) MouseMoved(e *desktop.MouseEvent) {
	tip := -1
	for i, c := range v.chips {
		if e.Position.X >= c.x && e.Position.X < c.x+c.w && e.Position.Y >= c.y && e.Position.Y < c.y+c.h && c.full != c.shown {
			tip = i
		}
	}
	if tip != v.tip {
		v.tip = tip
		v.Refresh()
	}
}

func (v *Queues) MouseOut() {
	if v.tip >= 0 {
		v.tip = -1
		v.Refresh()
	}
}

// Tooltip returns the tooltip's text, "" when none is shown.
func (v *Queues) Tooltip() string {
	if v.tip < 0 || v.tip >= len(v.chips) {
		return ""
	}
	return v.chips[v.tip].full
}

// drawTip places the tooltip (above every pooled object) under the
// hovered chip, or hides it.
func (v *Queues) drawTip() {
	if v.tip < 0 || v.tip >= len(v.chips) {
		v.tipBG.Hide()
		v.tipTx.Hide()
		return
	}
	c := v.chips[v.tip]
	v.tipTx.Text = c.full
	sz := v.tipTx.MinSize()
	v.tipBG.Move(fyne.NewPos(c.x, c.y+c.h+2))
	v.tipBG.Resize(fyne.NewSize(sz.Width+8, sz.Height+2))
	v.tipTx.Move(fyne.NewPos(c.x+4, c.y+c.h+3))
	v.tipTx.Resize(sz)
	v.tipBG.Show()
	v.tipTx.Show()
	v.tipBG.Refresh()
	v.tipTx.Refresh()
}

// NewQueues returns an empty queue view.
func NewQueues() *Queues {
	v := &Queues{s: &model.Snapshot{}, tip: -1, tipBG: canvas.NewRectangle(colBox), tipTx: canvas.NewText("", colText)}
	v.tipBG.StrokeColor, v.tipBG.StrokeWidth = colDim, 1
	v.tipTx.TextSize = 11
	v.over = []fyne.CanvasObject{v.tipBG, v.tipTx}
	v.min = fyne.NewSize(520, 200)
	v.paint = v.draw
	v.ExtendBaseWidget(v)
	return v
}

// Update shows s.
func (v *Queues) Update(_ *model.Model, s *model.Snapshot, _ uint64) {
	v.s = s
	h := float32(70)
	for i := range s.Procs {
		h += v.procHeight(&s.Procs[i])
	}
	v.min = fyne.NewSize(520, h+legendH+4)
	v.Refresh()
}

func (v *Queues) procHeight(p *model.ProcState) float32 {
	n := 0
	for _, q := range p.Queues {
		if len(q) > 0 {
			n++
		}
	}
	h := 46 + float32(max(n, 1))*22
	if p.UintrPending {
		h += 12
	}
	return h
}

// ownPrio is p's global priority without the user-interrupt boost: its
// best ready queue or its current coroutine's priority.
func (v *Queues) ownPrio(p *model.ProcState) uint8 {
	best := uint8(sched.Idle)
	for q, ids := range p.Queues {
		if len(ids) > 0 {
			best = uint8(q)
			break
		}
	}
	if c := v.s.Co(p.Current); c != nil && c.Prio < best {
		best = c.Prio
	}
	return best
}

func prioName(p uint8) string {
	if p < sched.NumPrio {
		return fmt.Sprintf("p%d", p)
	}
	return "idle"
}

// prioColor shades priorities from dark (0) to light (7).
// prioShades are the priority colours, p0 darkest. They skip the middle
// luminances where neither white nor dark text reaches 4.5:1: p0–p3 take
// white labels, p4–p7 dark ones (textOn).
var prioShades = [sched.NumPrio]color.NRGBA{
	{0x0d, 0x47, 0xa1, 0xff}, {0x12, 0x55, 0xb0, 0xff}, {0x15, 0x65, 0xc0, 0xff}, {0x19, 0x76, 0xd2, 0xff},
	{0x64, 0xb5, 0xf6, 0xff}, {0x90, 0xca, 0xf9, 0xff}, {0xbb, 0xde, 0xfb, 0xff}, {0xd6, 0xeb, 0xfc, 0xff},
}

func prioColor(p uint8) color.NRGBA {
	if p >= sched.NumPrio {
		return colGrid
	}
	return prioShades[p]
}

func (v *Queues) draw(d *drawList, size fyne.Size) {
	d.rect(0, 0, size.Width, size.Height, colBG, nil)
	d.text(8, 4, "global priority array (kernel picks the best; ties round-robin)", colDim, 11, false)
	best := uint8(sched.Idle)
	for _, p := range v.s.Procs {
		best = min(best, p.Prio)
	}
	v.chips = v.chips[:0]
	x := float32(8)
	// Chips shrink (down to minChipW) so every process fits the width.
	chipW := float32(maxChipW)
	if n := float32(len(v.s.Procs)); n > 0 {
		chipW = min(maxChipW, max(minChipW, (size.Width-16)/n-4))
	}
	for _, p := range v.s.Procs {
		var stroke color.Color
		if p.Prio == best && best != sched.Idle {
			stroke = colHot
		}
		if p.UintrPending {
			d.rect(x-2, 20, chipW+4, 42, colUintr, nil) // a frame: boosted by a pending user interrupt
		}
		d.rect(x, 22, chipW, 38, prioColor(p.Prio), stroke)
		fg := textOn(prioColor(p.Prio))
		shown := fitText(procLabel(&p), "", chipW-8, 10, false)
		v.chips = append(v.chips, chipHit{x, 22, chipW, 38, procLabel(&p), shown})
		d.text(x+4, 23, shown, fg, 10, false)
		val := "idle"
		if p.Prio < sched.NumPrio {
			val = fmt.Sprintf("p%d", p.Prio)
		}
		if p.UintrPending {
			val += " boost"
		}
		d.text(x+4, 40, val, fg, 12, true)
		x += chipW + 4
		if x+chipW > size.Width {
			break
		}
	}
	y := float32(70)
	for i := range v.s.Procs {
		v.proc(d, &v.s.Procs[i], y, size)
		y += v.procHeight(&v.s.Procs[i])
	}
	queuesLegend(d, y, size.Width)
	v.drawTip()
}

// queuesLegend explains the view's colours: the priority shades, ready
// coroutines, the kernel's pick and the user-interrupt boost.
func queuesLegend(d *drawList, y, width float32) {
	d.line(8, y-3, width-8, y-3, colGrid, 1)
	for p := uint8(0); p < sched.NumPrio; p++ {
		d.rect(8+float32(p)*7, y+5, 7, 10, prioColor(p), nil)
	}
	d.text(8+sched.NumPrio*7+4, y+3, "priority p0 … p7", colText, 10, false)
	drawLegend(d, 170, y, width, []legendItem{
		{fill: StateColor[sched.Ready], label: "Ready coroutine (FIFO, head first)"},
		{fill: colBG, stroke: colHot, label: "kernel's pick"},
		{fill: colUintr, label: "uintr pending: boost to p0"},
	})
}

// Widths of a chip of the global priority array.
const (
	maxChipW = 66
	minChipW = 44
)

func procLabel(p *model.ProcState) string {
	if p.Name != "" {
		return p.Name
	}
	if p.ID == 0 {
		return "kernel"
	}
	return fmt.Sprintf("p%d", p.ID)
}

// proc draws one process: name, bitmap cells, current coroutine, queues.
func (v *Queues) proc(d *drawList, p *model.ProcState, y float32, size fyne.Size) {
	d.line(8, y-3, size.Width-8, y-3, colGrid, 1)
	d.text(8, y, fmt.Sprintf("%s (id %d)", procLabel(p), p.ID), colText, 12, true)
	bm := p.Bitmap()
	d.text(180, y+1, "bitmap", colDim, 10, false)
	for b := 0; b < sched.NumPrio; b++ {
		fill := colBox
		if bm&(1<<b) != 0 {
			fill = prioColor(uint8(b))
		}
		d.rect(222+float32(b)*16, y+2, 14, 14, fill, colDim)
	}
	cur := "none"
	if c := v.s.Co(p.Current); c != nil {
		cur = fmt.Sprintf("%s (%s)", coLabel(c.Name, c.ID), c.State)
	}
	d.text(360, y+1, "current: "+cur, colText, 11, false)
	if p.UintrPending {
		d.text(180, y+17, fmt.Sprintf("user interrupt pending: boosted to p0 (own best %s) until the handler has run", prioName(v.ownPrio(p))), colUintr, 10, true)
	}
	yy := y + 22
	if p.UintrPending {
		yy += 12
	}
	empty := true
	for q, ids := range p.Queues {
		if len(ids) == 0 {
			continue
		}
		empty = false
		d.text(16, yy+2, fmt.Sprintf("p%d", q), colDim, 11, true)
		x := float32(44)
		for i, id := range ids {
			name := "#" + fmt.Sprint(id)
			if c := v.s.Co(id); c != nil {
				name = coLabel(c.Name, id)
			}
			w := fyne.MeasureText(name, 11, fyne.TextStyle{}).Width + 10
			if x+w > size.Width-40 {
				d.text(x, yy+2, fmt.Sprintf("… +%d", len(ids)-i), colDim, 11, false)
				break
			}
			d.rect(x, yy, w, 18, StateColor[sched.Ready], nil)
			d.text(x+5, yy+1, name, textOn(StateColor[sched.Ready]), 11, false)
			x += w + 4
		}
		yy += 22
	}
	if empty {
		d.text(16, yy+2, "no ready coroutines", colDim, 11, false)
	}
}
