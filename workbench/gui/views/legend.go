package views

import (
	"image/color"

	"fyne.io/fyne/v2"

	"copslab/sched"
)

// Legends: every view that encodes something in colour says so on
// screen, so a student can read a picture without guessing. A legend is a
// row of items, each a swatch (filled, or a line for arrows) and a label,
// laid out left to right; items that do not fit the width are left out
// whole, never cut.

// legendItem is one entry of a legend row.
type legendItem struct {
	fill   color.Color // swatch colour; nil: no swatch (a plain note)
	stroke color.Color // swatch outline, or nil
	arrow  bool        // draw the swatch as a short arrow in fill
	hatch  bool        // draw the swatch as bands of fill and a tint (hart lanes)
	label  string
}

// legendH is the height of a legend row.
const legendH = 20

// stateLegend describes the colours of coroutine states. Exited is not
// painted (the lane ends), so it appears as an outlined blank swatch.
func stateLegend() []legendItem {
	var out []legendItem
	for s := sched.Created; s < sched.NumStates; s++ {
		it := legendItem{fill: StateColor[s], label: s.String()}
		if s == sched.Exited {
			it = legendItem{fill: colBG, stroke: colDim, label: "Exited (blank)"}
		}
		out = append(out, it)
	}
	return out
}

// legendWidth estimates an item's width at text size 10 (about 4.5 px a character; 5 to be safe).
func legendWidth(it legendItem) float32 {
	w := float32(len([]rune(it.label)))*5.0 + 12
	if it.fill != nil {
		w += 16
	}
	return w
}

// drawLegend lays items out from (x, y) within width and returns how many
// fitted.
func drawLegend(d *drawList, x, y, width float32, items []legendItem) int {
	for i, it := range items {
		w := legendWidth(it)
		if x+w > width {
			return i
		}
		tx := x
		if it.fill != nil {
			switch {
			case it.arrow:
				d.arrow(x, y+legendH/2-1, x+12, y+legendH/2-1, it.fill, 2)
			case it.hatch:
				c, _ := it.fill.(color.NRGBA)
				for k := float32(0); k < 3; k++ {
					band := c
					if int(k)%2 == 1 {
						band = tintOf(c)
					}
					d.rect(x+k*4, y+5, 4, 10, band, nil)
				}
			default:
				d.rect(x, y+5, 12, 10, it.fill, it.stroke)
			}
			tx += 16
		}
		d.text(tx, y+3, it.label, colText, 10, false)
		x += w
	}
	return len(items)
}

// tintOf is the light tint of c used between the bands of a hatch.
func tintOf(c color.NRGBA) color.NRGBA {
	return color.NRGBA{uint8((uint16(c.R) + 2*0xff) / 3), uint8((uint16(c.G) + 2*0xff) / 3), uint8((uint16(c.B) + 2*0xff) / 3), 0xff}
}

// legendBar is a widget showing one legend row (the timeline's).
type legendBar struct {
	pooled
	items []legendItem
}

func newLegendBar(items []legendItem) *legendBar {
	b := &legendBar{items: items}
	b.min = fyne.NewSize(200, legendH)
	b.paint = func(d *drawList, size fyne.Size) {
		d.rect(0, 0, size.Width, size.Height, colBG, nil)
		d.line(0, 0, size.Width, 0, colGrid, 1)
		drawLegend(d, 4, 0, size.Width, b.items)
	}
	b.ExtendBaseWidget(b)
	return b
}
