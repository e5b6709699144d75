package views

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"

	"copslab/sched"
	"copslab/workbench/model"
)

// stageLabel names the stages of a chain on screen: the model's delivery
// stage ends when the handler wakes the coroutine, so it includes the
// handler's run time.
var stageLabel = [4]string{model.StageNames[0], model.StageNames[1], model.StageNames[2] + "+handler", model.StageNames[3]}

// wakeRows is how many of the latest wakeups the view shows.
const wakeRows = 8

// Wakeups shows the latest wakeups up to the cursor, newest first, as
// arrows from the source to the woken coroutine. A user-interrupt wakeup
// shows every stage of its chain (device → io-done → uintr-send → handler
// wake → running) with the latency of each; the header has the mean per
// stage over all complete chains.
type Wakeups struct {
	pooled
	m      *model.Model
	flows  []model.Flow
	chains map[uint64]*model.Chain
	mean   [4]uint64
	nmean  int
}

// NewWakeups returns an empty wakeup view.
func NewWakeups() *Wakeups {
	v := &Wakeups{m: model.New()}
	v.min = fyne.NewSize(640, 80+wakeRows*52+legendH)
	v.paint = v.draw
	v.ExtendBaseWidget(v)
	return v
}

// Update shows the wakeups of m up to cursor.
func (v *Wakeups) Update(m *model.Model, _ *model.Snapshot, cursor uint64) {
	v.m = m
	fl := m.Flows()
	n := sort.Search(len(fl), func(i int) bool { return fl[i].T > cursor })
	v.flows = v.flows[:0]
	for i := n - 1; i >= 0 && len(v.flows) < wakeRows; i-- {
		v.flows = append(v.flows, fl[i])
	}
	v.chains = map[uint64]*model.Chain{}
	var sum [4]uint64
	v.nmean = 0
	ch := m.Chains()
	for i := range ch {
		c := &ch[i]
		v.chains[c.Req] = c
		if c.Complete() && c.Run <= cursor {
			lat, _ := c.Stages()
			for k := range sum {
				sum[k] += lat[k]
			}
			v.nmean++
		}
	}
	for k := range sum {
		if v.nmean > 0 {
			v.mean[k] = sum[k] / uint64(v.nmean)
		}
	}
	v.Refresh()
}

func (v *Wakeups) name(id uint32) string { return coLabel(v.m.CoName(id), id) }

func (v *Wakeups) draw(d *drawList, size fyne.Size) {
	d.rect(0, 0, size.Width, size.Height, colBG, nil)
	head := "no complete user-interrupt chain yet"
	if v.nmean > 0 {
		head = fmt.Sprintf("%d user-interrupt chains; mean device %s · kernel %s · delivery+handler %s · schedule %s",
			v.nmean, fmtDur(v.mean[0]), fmtDur(v.mean[1]), fmtDur(v.mean[2]), fmtDur(v.mean[3]))
	}
	d.text(8, 4, head, colText, 12, true)
	if len(v.flows) == 0 {
		d.text(8, 30, "no wakeups yet", colDim, 11, false)
	}
	drawLegend(d, 8, 30+float32(max(len(v.flows), 1))*52, size.Width, []legendItem{
		{fill: colGrid, stroke: colDim, label: "source / stage"},
		{fill: colCursor, arrow: true, label: "stage (its latency under the arrow)"},
		{fill: StateColor[sched.Ready], label: "woken coroutine (now Ready)"},
	})
	for i, f := range v.flows {
		y := 30 + float32(i)*52
		d.text(8, y, fmtDur(f.T), colDim, 10, false)
		if c := v.chains[f.Req]; f.Cause == sched.CauseUintr && c != nil {
			v.chain(d, c, y+12, size.Width)
			continue
		}
		src := "timer"
		if f.Cause == sched.CauseWake {
			src = v.name(f.From)
		}
		v.boxes(d, y+12, []string{src, v.name(f.To)}, []string{f.Cause.String()}, size.Width)
	}
}

// chain draws the five stages of a user-interrupt chain.
func (v *Wakeups) chain(d *drawList, c *model.Chain, y, width float32) {
	lat, ok := c.Stages()
	labels := make([]string, 4)
	for i := range labels {
		labels[i] = stageLabel[i] + " ?"
		if ok[i] {
			labels[i] = stageLabel[i] + " " + fmtDur(lat[i])
		}
	}
	v.boxes(d, y, []string{fmt.Sprintf("I/O #%d", c.Req), "io-done", "uintr-send", "handler wake", v.name(c.Co)}, labels, width)
}

// boxes draws labelled boxes left to right joined by labelled arrows.
func (v *Wakeups) boxes(d *drawList, y float32, names, arrows []string, width float32) {
	n := float32(len(names))
	gap := float32(36)
	w := min(130, (width-16-gap*(n-1))/n)
	x := float32(8)
	for i, s := range names {
		fill := colGrid
		if i == len(names)-1 {
			fill = StateColor[sched.Ready]
		}
		d.rect(x, y, w, 26, fill, colDim)
		d.text(x+4, y+5, fitText(s, "", w-8, 11, i == len(names)-1), textOn(fill), 11, i == len(names)-1)
		if i < len(arrows) {
			d.arrow(x+w+2, y+13, x+w+gap-2, y+13, colCursor, 2)
			d.text(x+w+2, y+27, arrows[i], colCursor, 10, false)
		}
		x += w + gap
	}
}
