package views

// Drawing the timeline into an image. The design goal is a frame time
// that does not grow with history: for each visible lane we binary-search
// the first visible mark and then walk marks, but whenever a mark is
// narrower than a pixel we colour that pixel with the state in force at
// its left edge and binary-search directly to the first mark of the next
// pixel. A lane therefore costs O(visible pixels × log marks), whether it
// holds ten marks or a million.

import (
	"image"
	"image/color"
	"math"
	"sort"

	"copslab/sched"
	"copslab/workbench/model"
)

// Geometry of the timeline, in pixels at scale 1.
const (
	tlGutter = 170                          // lane names
	tlAxis   = 22                           // time axis at the top
	tlLane   = 16                           // lane height
	tlGap    = 3                            // between lanes
	tlStripe = 4                            // coroutine colour stripe at the gutter's left edge
	tlLabelW = tlGutter - tlStripe - 3 - 14 // lane name: between the stripe and the state chip
	maxFlows = 400                          // wakeup arrows drawn per frame at most
)

// frame is one frame's parameters, in image pixels.
type frame struct {
	img        *image.RGBA
	x0, w      int // plot area: columns x0 .. x0+w
	t0, t1     float64
	lanePx     int // lane pitch
	laneH      int
	top        int // y of the first lane
	bottom     int // lanes end above this y (the legend row is below)
	first      int // first lane shown (harts count as lanes)
	scale      float64
	cursor     uint64
	showCursor bool
}

func (f *frame) x(t float64) float64 { return float64(f.x0) + (t-f.t0)/(f.t1-f.t0)*float64(f.w) }

// tAt returns the time at the left edge of column x.
func (f *frame) tAt(x int) float64 { return f.t0 + float64(x-f.x0)*(f.t1-f.t0)/float64(f.w) }

// laneY returns the top of lane i, or -1 when it is not visible.
func (f *frame) laneY(i int) int {
	y := f.top + (i-f.first)*f.lanePx
	if i < f.first || y+f.laneH > f.bottom {
		return -1
	}
	return y
}

// drawFrame paints the lanes, grid, flows and cursor of m.
func drawFrame(f *frame, m *model.Model) {
	fill(f.img, f.img.Bounds(), colBG)
	drawGrid(f)
	harts := m.HartLanes()
	for i := range harts {
		if y := f.laneY(i); y >= 0 {
			drawHart(f, &harts[i], y, m.End())
		}
	}
	lanes := m.Lanes()
	for i := range lanes {
		if y := f.laneY(len(harts) + i); y >= 0 {
			drawLane(f, &lanes[i], y, m.End())
			cursorChip(f, &lanes[i], y)
			hatch(f.img, image.Rect(0, y, int(tlStripe*f.scale), y+f.laneH), coColor(lanes[i].ID))
		}
	}
	drawPending(f, m, len(harts))
	drawFlows(f, m, len(harts))
	if f.showCursor {
		if x := int(f.x(float64(f.cursor))); x >= f.x0 && x < f.x0+f.w {
			fill(f.img, image.Rect(x, 0, x+max(1, int(f.scale)), f.bottom), colCursor)
		}
	}
}

// drawLane paints one coroutine's states between f.t0 and f.t1.
func drawLane(f *frame, l *model.Lane, y int, end uint64) {
	mk := l.Marks
	walkMarks(f, len(mk), l.Index(uint64(max(f.t0, 0))), end,
		func(i int) uint64 { return mk[i].T },
		func(i, xa, xb int) {
			if mk[i].S != sched.Exited {
				fill(f.img, image.Rect(xa, y, xb, y+f.laneH), StateColor[mk[i].S%sched.NumStates])
			}
		})
}

// cursorChip paints, left of the plot, the lane's state at the cursor.
func cursorChip(f *frame, l *model.Lane, y int) {
	i := l.Index(f.cursor)
	if i < 0 {
		return
	}
	w := int(8 * f.scale)
	fill(f.img, image.Rect(f.x0-w-int(3*f.scale), y+1, f.x0-int(3*f.scale), y+f.laneH-1), StateColor[l.Marks[i].S%sched.NumStates])
}

// drawHart paints which coroutine a hart runs, hatched in the coroutine's
// colour so that a hart lane never reads as a state.
func drawHart(f *frame, l *model.HartLane, y int, end uint64) {
	mk := l.Marks
	walkMarks(f, len(mk), l.Index(uint64(max(f.t0, 0))), end,
		func(i int) uint64 { return mk[i].T },
		func(i, xa, xb int) {
			if mk[i].Co != sched.NoCo {
				hatch(f.img, image.Rect(xa, y, xb, y+f.laneH), coColor(mk[i].Co))
			}
		})
}

// walkMarks calls paint(i, xa, xb) for the columns [xa, xb) in which mark
// i (of n, with times at(i), sorted) is in force, starting at mark i.
// Each column is painted once, with the mark in force at its left edge;
// marks narrower than a column are skipped by binary search.
func walkMarks(f *frame, n, i int, end uint64, at func(int) uint64, paint func(i, xa, xb int)) {
	i = max(i, 0)
	cur := f.x0
	for i < n {
		start, stop := float64(at(i)), float64(end)
		if i+1 < n {
			stop = float64(at(i + 1))
		}
		if start > f.t1 || cur >= f.x0+f.w {
			return
		}
		xa := max(int(f.x(max(start, f.t0))), cur)
		xb := int(math.Ceil(f.x(min(stop, f.t1))))
		if xb-xa > 1 {
			paint(i, xa, xb)
			cur = xb
			i++
			continue
		}
		if xb > xa {
			paint(i, xa, xa+1)
			cur = xa + 1
		}
		// the rest of this column is done: jump to the mark in force at
		// the left edge of the next unpainted column.
		next := uint64(math.Ceil(f.tAt(cur)))
		j := i + 1 + sort.Search(n-i-1, func(k int) bool { return at(i+1+k) >= next })
		i = max(j-1, i+1)
	}
}

// drawGrid paints the lane backgrounds and vertical tick lines.
func drawGrid(f *frame) {
	h := f.bottom
	for y := f.top; y+f.laneH <= h; y += f.lanePx {
		fill(f.img, image.Rect(f.x0, y+f.laneH, f.x0+f.w, y+f.laneH+1), colGrid)
	}
	for _, t := range ticks(f.t0, f.t1, f.w/int(100*f.scale)+1) {
		x := int(f.x(t))
		fill(f.img, image.Rect(x, f.top-int(4*f.scale), x+1, h), colGrid)
	}
}

// drawFlows draws wakeup arrows whose wake time is visible.
func drawFlows(f *frame, m *model.Model, harts int) {
	fl := m.Flows()
	a := sort.Search(len(fl), func(i int) bool { return float64(fl[i].T) >= f.t0 })
	b := sort.Search(len(fl), func(i int) bool { return float64(fl[i].T) > f.t1 })
	step := max(1, (b-a)/maxFlows)
	for i := a; i < b; i += step {
		to := m.LaneOf(fl[i].To)
		from := m.LaneOf(fl[i].From)
		yt := f.laneY(harts + to)
		if yt < 0 {
			continue
		}
		xt := f.x(float64(fl[i].T))
		xs, ys := xt-4*f.scale, float64(yt)-6*f.scale // a timer: a short tick into the lane
		if from >= 0 {
			if y := f.laneY(harts + from); y >= 0 {
				xs, ys = f.x(float64(fl[i].FromT)), float64(y+f.laneH/2)
			}
		}
		line(f.img, xs, ys, xt, float64(yt+f.laneH/2), colFlow)
		fill(f.img, image.Rect(int(xt)-2, yt+f.laneH/2-2, int(xt)+3, yt+f.laneH/2+3), colFlow)
	}
}

// drawPending marks, in the gap just above the waiting coroutine's lane,
// each interval from uintr-send to the handler's wake: the user interrupt
// is pending and the process is boosted to priority 0. Chains are in
// submission order; the walk goes back from the last one submitted before
// t1 and stops after maxFlows drawn or 64 in a row that ended before t0.
func drawPending(f *frame, m *model.Model, harts int) {
	ch := m.Chains()
	b := sort.Search(len(ch), func(i int) bool { return float64(ch[i].Submit) > f.t1 })
	gap := f.lanePx - f.laneH
	for i, n, miss := b-1, 0, 0; i >= 0 && n < maxFlows && miss < 64; i-- {
		c := &ch[i]
		if !c.Seen(2) {
			continue
		}
		end := m.End()
		if c.Seen(3) {
			end = c.Wake
		}
		if float64(end) < f.t0 {
			miss++
			continue
		}
		miss, n = 0, n+1
		l := m.LaneOf(c.Co)
		y := f.laneY(harts + l)
		if l < 0 || y < 0 {
			continue
		}
		xa := max(int(f.x(float64(c.Send))), f.x0)
		xb := min(int(math.Ceil(f.x(float64(end)))), f.x0+f.w)
		fill(f.img, image.Rect(xa, y-gap, max(xb, xa+1), y+max(1, int(f.scale))), colUintr)
	}
}

// ticks returns about n round times between t0 and t1.
func ticks(t0, t1 float64, n int) []float64 {
	if t1 <= t0 || n < 1 {
		return nil
	}
	step := niceStep((t1 - t0) / float64(n))
	var out []float64
	for t := math.Ceil(t0/step) * step; t <= t1 && len(out) < 64; t += step {
		out = append(out, t)
	}
	return out
}

// niceStep rounds v up to 1, 2 or 5 times a power of ten.
func niceStep(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// fill paints r (clipped) with c.
func fill(img *image.RGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	px := [4]uint8{c.R, c.G, c.B, c.A}
	row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y):]
	w := r.Dx() * 4
	first := row[:w]
	for i := 0; i < w; i += 4 {
		copy(first[i:i+4], px[:])
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(img.Pix[img.PixOffset(r.Min.X, y):][:w], first)
	}
}

// hatch paints r (clipped) with diagonal bands of c and a light tint of
// c, anchored to the image so that neighbouring rectangles line up.
func hatch(img *image.RGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(img.Bounds())
	t := tintOf(c)
	tint := [4]uint8{t.R, t.G, t.B, 0xff}
	px := [4]uint8{c.R, c.G, c.B, c.A}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):]
		for x := r.Min.X; x < r.Max.X; x++ {
			p := &px
			if (x+y)%8 >= 5 {
				p = &tint
			}
			copy(row[(x-r.Min.X)*4:], p[:])
		}
	}
}

// line draws a 1-pixel line from (x0,y0) to (x1,y1), blending c.
func line(img *image.RGBA, x0, y0, x1, y1 float64, c color.NRGBA) {
	n := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0)))
	if n > 4096 {
		n = 4096
	}
	b := img.Bounds()
	for i := 0; i <= n; i++ {
		t := 0.0
		if n > 0 {
			t = float64(i) / float64(n)
		}
		x, y := int(x0+(x1-x0)*t), int(y0+(y1-y0)*t)
		if !(image.Point{x, y}).In(b) {
			continue
		}
		o := img.PixOffset(x, y)
		a := uint32(c.A)
		for k, v := range [3]uint8{c.R, c.G, c.B} {
			img.Pix[o+k] = uint8((uint32(v)*a + uint32(img.Pix[o+k])*(255-a)) / 255)
		}
	}
}
