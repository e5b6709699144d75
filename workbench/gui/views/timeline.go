package views

import (
	"fmt"
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"copslab/sched"
	"copslab/workbench/model"
)

// Timeline shows one swimlane per hart and per coroutine, coloured by
// state, with wakeup arrows and a time cursor; left of each lane a chip
// shows the coroutine's state at the cursor and its label the priority
// at the cursor. A hart lane is coloured by the coroutine it runs: each
// coroutine lane has a stripe of that colour left of its name, and a hart's
// label names the coroutine it runs at the cursor. A magenta band just
// above a blocked coroutine's lane shows its user interrupt pending (raised,
// handler not yet run: the process is boosted to priority 0). A legend row
// at the bottom explains the colours. Mouse: wheel zooms around
// the pointer, drag pans (vertical drag scrolls lanes), click sets the
// cursor. Keys: ←/→ pan, ↑/↓ scroll lanes, +/- zoom, Home fits everything.
type Timeline struct {
	widget.BaseWidget
	m        *model.Model
	snap     *model.Snapshot // state at the cursor
	t0, t1   float64         // visible time range; t1 <= t0 means "fit"
	cursor   uint64
	first    int     // first lane shown
	dragY    float32 // vertical drag not yet turned into lanes
	OnCursor func(t uint64)

	img    *image.RGBA
	raster *canvas.Raster
	names  []*canvas.Text
	full   []string // each name's whole text (names may be elided)
	tip    *canvas.Text
	tipBG  *canvas.Rectangle
	axis   []*canvas.Text
	status *canvas.Text
	legend *legendBar
}

var (
	_ fyne.Scrollable   = (*Timeline)(nil)
	_ fyne.Draggable    = (*Timeline)(nil)
	_ fyne.Tappable     = (*Timeline)(nil)
	_ fyne.Focusable    = (*Timeline)(nil)
	_ desktop.Hoverable = (*Timeline)(nil)
)

// NewTimeline returns an empty timeline.
func NewTimeline() *Timeline {
	tl := &Timeline{m: model.New()}
	tl.ExtendBaseWidget(tl)
	return tl
}

// Update shows m with the cursor at cursor.
func (tl *Timeline) Update(m *model.Model, s *model.Snapshot, cursor uint64) {
	tl.m, tl.snap, tl.cursor = m, s, cursor
	tl.Refresh()
}

// View returns the visible time range.
func (tl *Timeline) View() (t0, t1 float64) { return tl.span() }

// FirstLane returns the index of the first lane shown (harts first).
func (tl *Timeline) FirstLane() int { return tl.first }

// ResetView fits the whole run and scrolls to the first lane: after a
// restart, a new scenario or Live, the old zoom would show an empty range.
func (tl *Timeline) ResetView() {
	tl.t0, tl.t1, tl.first, tl.dragY = 0, 0, 0, 0
	tl.Refresh()
}

// SetView sets the visible time range (t1 <= t0 fits everything).
func (tl *Timeline) SetView(t0, t1 float64) {
	tl.t0, tl.t1 = t0, t1
	tl.Refresh()
}

func (tl *Timeline) span() (float64, float64) {
	if tl.t1 > tl.t0 {
		return tl.t0, tl.t1
	}
	s, e := float64(tl.m.Start()), float64(tl.m.End())
	if e <= s {
		e = s + 1000
	}
	return s, e + (e-s)*0.02
}

func (tl *Timeline) lanes() int { return len(tl.m.HartLanes()) + len(tl.m.Lanes()) }

// zoom scales the visible range by k around time t.
func (tl *Timeline) zoom(k, t float64) {
	t0, t1 := tl.span()
	if w := (t1 - t0) * k; w >= 10 {
		tl.t0, tl.t1 = t-(t-t0)*k, t-(t-t0)*k+w
	}
	tl.Refresh()
}

func (tl *Timeline) pan(frac float64) {
	t0, t1 := tl.span()
	d := (t1 - t0) * frac
	tl.t0, tl.t1 = t0+d, t1+d
	tl.Refresh()
}

func (tl *Timeline) scroll(n int) {
	tl.first = max(0, min(tl.first+n, tl.lanes()-1))
	tl.Refresh()
}

// timeAt converts a widget x position to a time.
func (tl *Timeline) timeAt(x float32) float64 {
	t0, t1 := tl.span()
	w := float64(tl.Size().Width) - tlGutter
	return t0 + (float64(x)-tlGutter)/w*(t1-t0)
}

func (tl *Timeline) Scrolled(e *fyne.ScrollEvent) {
	if e.Scrolled.DX != 0 && e.Scrolled.DY == 0 { // horizontal wheel or touchpad: pan
		w := float64(tl.Size().Width) - tlGutter
		tl.pan(-float64(e.Scrolled.DX) / w)
		return
	}
	k := math.Pow(0.9, float64(e.Scrolled.DY)/10)
	tl.zoom(k, tl.timeAt(e.Position.X))
}

func (tl *Timeline) Dragged(e *fyne.DragEvent) {
	t0, t1 := tl.span()
	w := float64(tl.Size().Width) - tlGutter
	d := -float64(e.Dragged.DX) / w * (t1 - t0)
	tl.t0, tl.t1 = t0+d, t1+d
	tl.dragY -= e.Dragged.DY
	if n := int(tl.dragY / (tlLane + tlGap)); n != 0 {
		tl.dragY -= float32(n) * (tlLane + tlGap)
		tl.first = max(0, min(tl.first+n, tl.lanes()-1))
	}
	tl.Refresh()
}

func (tl *Timeline) DragEnd() { tl.dragY = 0 }

func (tl *Timeline) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(tl); c != nil {
		c.Focus(tl)
	}
	if e.Position.X < tlGutter {
		return
	}
	t := tl.timeAt(e.Position.X)
	tl.cursor = uint64(max(t, 0))
	if tl.OnCursor != nil {
		tl.OnCursor(tl.cursor)
	}
	tl.Refresh()
}

func (tl *Timeline) FocusGained()                  {}
func (tl *Timeline) FocusLost()                    {}
func (tl *Timeline) MouseIn(e *desktop.MouseEvent) { tl.MouseMoved(e) }

// MouseMoved shows the whole name of an elided lane label under the
// pointer, as a tooltip.
func (tl *Timeline) MouseMoved(e *desktop.MouseEvent) {
	if tl.tip == nil {
		return
	}
	row := int((e.Position.Y - tlAxis) / (tlLane + tlGap))
	if e.Position.X >= tlGutter || e.Position.Y < tlAxis || row >= len(tl.full) || !tl.names[row].Visible() || tl.names[row].Text == tl.full[row] {
		tl.MouseOut()
		return
	}
	tl.tip.Text = tl.full[row]
	sz := tl.tip.MinSize()
	pos := fyne.NewPos(e.Position.X+12, tlAxis+float32(row+1)*(tlLane+tlGap))
	tl.tipBG.Move(pos)
	tl.tipBG.Resize(fyne.NewSize(sz.Width+8, sz.Height+2))
	tl.tip.Move(pos.AddXY(4, 1))
	tl.tip.Resize(sz)
	tl.tipBG.Show()
	tl.tip.Show()
	tl.tipBG.Refresh()
	tl.tip.Refresh()
}

// Tooltip returns the tooltip's text, "" when none is shown.
func (tl *Timeline) Tooltip() string {
	if tl.tip == nil || !tl.tip.Visible() {
		return ""
	}
	return tl.tip.Text
}

func (tl *Timeline) MouseOut() {
	if tl.tip != nil && tl.tip.Visible() {
		tl.tip.Hide()
		tl.tipBG.Hide()
	}
}

func (tl *Timeline) TypedRune(r rune) {
	switch r {
	case '+', '=':
		t0, t1 := tl.span()
		tl.zoom(0.5, (t0+t1)/2)
	case '-':
		t0, t1 := tl.span()
		tl.zoom(2, (t0+t1)/2)
	case '0':
		tl.SetView(0, 0)
	}
}

func (tl *Timeline) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyLeft:
		tl.pan(-0.1)
	case fyne.KeyRight:
		tl.pan(0.1)
	case fyne.KeyUp:
		tl.scroll(-1)
	case fyne.KeyDown:
		tl.scroll(1)
	case fyne.KeyHome:
		tl.SetView(0, 0)
	}
}

func (tl *Timeline) CreateRenderer() fyne.WidgetRenderer {
	tl.raster = canvas.NewRaster(tl.generate)
	tl.status = canvas.NewText("", colDim)
	tl.status.TextSize = 11
	tl.legend = newLegendBar(timelineLegend())
	tl.tip = canvas.NewText("", colText)
	tl.tip.TextSize = 11
	tl.tipBG = canvas.NewRectangle(colBox)
	tl.tipBG.StrokeColor, tl.tipBG.StrokeWidth = colDim, 1
	tl.tip.Hide()
	tl.tipBG.Hide()
	return &timelineRenderer{tl: tl}
}

// generate is the raster's callback: it draws the lanes at pixel size w×h.
func (tl *Timeline) generate(w, h int) image.Image {
	if tl.img == nil || tl.img.Bounds().Dx() != w || tl.img.Bounds().Dy() != h {
		tl.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	DrawTimeline(tl.img, tl.m, tl.frameParams(w))
	return tl.img
}

// Params are the view parameters of one timeline frame.
type Params struct {
	T0, T1 float64
	First  int
	Cursor uint64
	Scale  float64 // image pixels per widget unit
}

func (tl *Timeline) frameParams(w int) Params {
	t0, t1 := tl.span()
	sc := 1.0
	if sw := tl.Size().Width; sw > 0 {
		sc = float64(w) / float64(sw)
	}
	return Params{T0: t0, T1: t1, First: tl.first, Cursor: tl.cursor, Scale: sc}
}

// DrawTimeline paints m into img with parameters p (the frame the
// benchmark measures). The bottom legendH rows are left for the legend.
func DrawTimeline(img *image.RGBA, m *model.Model, p Params) {
	sc := p.Scale
	f := &frame{
		img: img, x0: int(tlGutter * sc), t0: p.T0, t1: p.T1,
		lanePx: int((tlLane + tlGap) * sc), laneH: int(tlLane * sc), top: int(tlAxis * sc),
		first: p.First, scale: sc, cursor: p.Cursor, showCursor: true,
		bottom: img.Bounds().Dy() - int(legendH*sc),
	}
	f.w = img.Bounds().Dx() - f.x0
	if f.w <= 0 || f.t1 <= f.t0 {
		return
	}
	drawFrame(f, m)
}

type timelineRenderer struct{ tl *Timeline }

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.tl.raster, r.tl.status, r.tl.legend}
	for _, t := range r.tl.names {
		objs = append(objs, t)
	}
	for _, t := range r.tl.axis {
		objs = append(objs, t)
	}
	return append(objs, r.tl.tipBG, r.tl.tip)
}

func (r *timelineRenderer) MinSize() fyne.Size { return fyne.NewSize(400, 200) }
func (r *timelineRenderer) Destroy()           {}
func (r *timelineRenderer) Layout(s fyne.Size) {
	r.tl.raster.Resize(s)
	r.tl.legend.Move(fyne.NewPos(0, s.Height-legendH))
	r.tl.legend.Resize(fyne.NewSize(s.Width, legendH))
	r.labels(s)
}

func (r *timelineRenderer) Refresh() {
	r.labels(r.tl.Size())
	r.tl.raster.Refresh()
	r.tl.legend.Refresh()
}

// timelineLegend explains the timeline's colours: coroutine states, the
// wakeup arrows, the cursor and the hart lanes.
func timelineLegend() []legendItem {
	items := stateLegend()
	return append(items,
		legendItem{fill: colFlow, arrow: true, label: "wakeup"},
		legendItem{fill: colCursor, label: "cursor"},
		legendItem{fill: coColor(1), hatch: true, label: "hart: coroutine it runs (stripe by name)"},
		legendItem{fill: colUintr, label: "uintr pending"},
	)
}

// labels places lane names and axis times; the text objects are pooled.
func (r *timelineRenderer) labels(s fyne.Size) {
	tl := r.tl
	rows := max(0, int((s.Height-tlAxis-legendH)/(tlLane+tlGap)))
	for len(tl.names) < rows {
		t := canvas.NewText("", colText)
		t.TextSize = 11
		tl.names = append(tl.names, t)
		tl.full = append(tl.full, "")
	}
	harts := tl.m.HartLanes()
	lanes := tl.m.Lanes()
	for i, t := range tl.names {
		li := tl.first + i
		switch {
		case i >= rows || li >= len(harts)+len(lanes):
			t.Hide()
			continue
		case li < len(harts):
			head, tail := tl.hartLabel(&harts[li])
			tl.full[i] = head + tail
			t.Text = fitText(head, tail, tlLabelW, t.TextSize, true)
			t.TextStyle.Bold = true
		default:
			l := &lanes[li-len(harts)]
			head, tail := tl.procName(l.Proc)+l.Name, fmt.Sprintf(" #%d p%d", l.ID, tl.prioOf(l.ID))
			if l.Name == "" {
				tail = tail[1:]
			}
			tl.full[i] = head + tail
			t.Text = fitText(head, tail, tlLabelW, t.TextSize, false)
			t.TextStyle.Bold = false
		}
		t.Move(fyne.NewPos(tlStripe+3, tlAxis+float32(i)*(tlLane+tlGap)))
		t.Show()
		t.Refresh()
	}
	r.axisLabels(s)
}

// hartLabel names a hart and the coroutine it runs at the cursor, as a
// head that may be elided and a tail that is kept.
func (tl *Timeline) hartLabel(h *model.HartLane) (head, tail string) {
	head = fmt.Sprintf("hart %d: ", h.Hart)
	if i := h.Index(tl.cursor); i >= 0 && h.Marks[i].Co != sched.NoCo {
		co := h.Marks[i].Co
		if n := tl.m.CoName(co); n != "" {
			return head + n, fmt.Sprintf(" #%d", co)
		}
		return head, fmt.Sprintf("#%d", co)
	}
	return head + "idle", ""
}

func (tl *Timeline) procName(p uint16) string {
	if n := tl.m.ProcName(p); n != "" {
		return n + "/"
	}
	return fmt.Sprintf("p%d/", p)
}

func (tl *Timeline) prioOf(id uint32) uint8 {
	if tl.snap == nil {
		return 0
	}
	if c := tl.snap.Co(id); c != nil {
		return c.Prio
	}
	return 0
}

func (r *timelineRenderer) axisLabels(s fyne.Size) {
	tl := r.tl
	t0, t1 := tl.span()
	w := float64(s.Width) - tlGutter
	ts := ticks(t0, t1, int(w/100)+1)
	for len(tl.axis) < len(ts) {
		t := canvas.NewText("", colDim)
		t.TextSize = 10
		tl.axis = append(tl.axis, t)
	}
	for i, t := range tl.axis {
		if i >= len(ts) {
			t.Hide()
			continue
		}
		t.Text = fmtDur(uint64(ts[i]))
		t.Move(fyne.NewPos(float32(tlGutter+(ts[i]-t0)/(t1-t0)*w)+2, 2))
		t.Show()
		t.Refresh()
	}
	tl.status.Text = "cursor " + fmtDur(tl.cursor)
	tl.status.Move(fyne.NewPos(4, 3))
	tl.status.Refresh()
}
