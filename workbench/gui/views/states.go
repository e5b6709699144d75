package views

import (
	"fmt"
	"image/color"
	"sort"
	"time"

	"fyne.io/fyne/v2"

	"copslab/sched"
	"copslab/workbench/model"
)

// stateEdges are the legal transitions (see sched/event.go).
var stateEdges = [][2]sched.State{
	{sched.Created, sched.Ready}, {sched.Ready, sched.Running}, {sched.Running, sched.Ready},
	{sched.Running, sched.Blocked}, {sched.Blocked, sched.Ready}, {sched.Running, sched.Suspended},
	{sched.Suspended, sched.Running}, {sched.Running, sched.Exited},
}

// statePos places each state, as fractions of the diagram's size.
var statePos = [sched.NumStates][2]float32{
	sched.Created: {0.1, 0.42}, sched.Ready: {0.36, 0.42}, sched.Running: {0.64, 0.42},
	sched.Exited: {0.9, 0.42}, sched.Blocked: {0.5, 0.8}, sched.Suspended: {0.64, 0.1},
}

// recentN is how many of the latest transitions the diagram highlights.
const recentN = 6

// States is the coroutine state machine with the number of coroutines in
// each state at the cursor, how often each transition happened up to the
// cursor, and the last transitions highlighted (the latest boldest) and
// listed.
type States struct {
	pooled
	// Animate makes the newest transition's arrow pulse when it appears
	// (the window sets it; renders and golden tests leave it off).
	Animate bool
	glow    float32 // 0..1, extra emphasis of the newest arrow
	anim    *fyne.Animation
	lastSeq uint64
	counts  [sched.NumStates]int
	trans   map[[2]sched.State]int
	recent  []sched.Event
	names   func(uint32) string
}

// NewStates returns an empty diagram.
func NewStates() *States {
	v := &States{names: func(uint32) string { return "" }}
	v.min = fyne.NewSize(520, 360)
	v.paint = v.draw
	v.ExtendBaseWidget(v)
	return v
}

// Update shows the state of s and the transitions up to cursor.
func (v *States) Update(m *model.Model, s *model.Snapshot, cursor uint64) {
	v.counts = s.StateCounts()
	evs := m.Events()
	n := sort.Search(len(evs), func(i int) bool { return evs[i].Time > cursor })
	v.trans = map[[2]sched.State]int{}
	if n == len(evs) {
		t := m.Transitions()
		for _, e := range stateEdges {
			v.trans[e] = t[e[0]][e[1]]
		}
	} else {
		for _, e := range evs[:n] {
			if e.From != e.To {
				v.trans[[2]sched.State{e.From, e.To}]++
			}
		}
	}
	v.recent = v.recent[:0]
	for i := n - 1; i >= 0 && len(v.recent) < recentN; i-- {
		if evs[i].From != evs[i].To {
			v.recent = append(v.recent, evs[i])
		}
	}
	v.names = m.CoName
	if len(v.recent) > 0 && v.recent[0].Seq != v.lastSeq {
		v.lastSeq = v.recent[0].Seq
		v.pulse()
	}
	v.Refresh()
}

// pulse starts (or restarts) the glow of the newest transition.
func (v *States) pulse() {
	if !v.Animate {
		return
	}
	if v.anim == nil {
		v.anim = fyne.NewAnimation(700*time.Millisecond, func(f float32) {
			v.glow = 1 - f
			v.Refresh()
		})
	}
	v.anim.Stop()
	v.anim.Start()
}

func (v *States) center(s sched.State, size fyne.Size) (float32, float32) {
	p := statePos[s]
	return p[0] * size.Width, p[1] * (size.Height - 110)
}

func (v *States) draw(d *drawList, size fyne.Size) {
	d.rect(0, 0, size.Width, size.Height, colBG, nil)
	hot := map[[2]sched.State]int{}
	for i, e := range v.recent {
		if _, ok := hot[[2]sched.State{e.From, e.To}]; !ok {
			hot[[2]sched.State{e.From, e.To}] = i
		}
	}
	for _, e := range stateEdges {
		v.edge(d, size, e, hot)
	}
	for s := sched.State(0); s < sched.NumStates; s++ {
		x, y := v.center(s, size)
		d.rect(x-48, y-20, 96, 40, StateColor[s], colText)
		d.text(x-42, y-18, s.String(), textOn(StateColor[s]), 13, true)
		d.text(x-42, y, fmt.Sprint(v.counts[s]), textOn(StateColor[s]), 13, true)
	}
	drawLegend(d, 8, 0, size.Width, []legendItem{{fill: colDim, arrow: true, label: "transition (number: times taken)"}})
	drawLegend(d, 8, 16, size.Width, []legendItem{{fill: colHot, arrow: true, label: "latest transitions (newest boldest)"}})
	d.text(8, 35, "box: a state and how many coroutines are in it", colText, 10, false)
	y := size.Height - 104
	d.text(8, y, "last transitions (newest first):", colDim, 11, false)
	for i, e := range v.recent {
		c := colText
		if i == 0 {
			c = colHot
		}
		d.text(8, y+float32(i+1)*15, fmt.Sprintf("%10s  %-14s %s → %s (%s)", fmtDur(e.Time), coLabel(v.names(e.Co), e.Co), e.From, e.To, e.Cause), c, 11, i == 0)
	}
}

// edge draws transition e with its count; edges between the same pair of
// states are offset to both sides.
func (v *States) edge(d *drawList, size fyne.Size, e [2]sched.State, hot map[[2]sched.State]int) {
	x1, y1 := v.center(e[0], size)
	x2, y2 := v.center(e[1], size)
	dx, dy := x2-x1, y2-y1
	n := sqrt32(dx*dx + dy*dy)
	if n < 1 {
		return
	}
	ux, uy := dx/n, dy/n
	ox, oy := -uy*7, ux*7 // perpendicular offset for two-way pairs
	// Leave and enter each box at its border (plus a margin), so no arrow
	// or arrowhead lies over a box's name or count.
	r := boxExit(ux, uy)
	sx, sy := x1+ux*r+ox, y1+uy*r+oy
	ex, ey := x2-ux*r+ox, y2-uy*r+oy
	var c color.Color = colDim
	w := float32(1.5)
	if i, ok := hot[e]; ok {
		c, w = colHot, float32(4-min(i, 2))
		if i == 0 {
			w += 4 * v.glow
		}
	}
	d.arrow(sx, sy, ex, ey, c, w)
	d.text((sx+ex)/2+ox*1.6-8, (sy+ey)/2+oy*1.6-8, fmt.Sprint(v.trans[e]), c, 11, false)
}

// boxExit is the distance from a state box's centre along the unit
// direction (ux, uy) to just outside its border.
func boxExit(ux, uy float32) float32 {
	const hw, hh = 48 + 5, 20 + 5
	r := float32(1e9)
	if ux != 0 {
		r = min(r, hw/max(ux, -ux))
	}
	if uy != 0 {
		r = min(r, hh/max(uy, -uy))
	}
	return r
}
