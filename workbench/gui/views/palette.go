package views

import (
	"fmt"
	"image/color"
	"time"

	"copslab/sched"
)

// StateColor is the colour of each coroutine state, shared by every view.
var StateColor = [sched.NumStates]color.NRGBA{
	sched.Created:   {0x9e, 0x9e, 0x9e, 0xff},
	sched.Ready:     {0xf2, 0xb7, 0x05, 0xff},
	sched.Running:   {0x2e, 0xa0, 0x43, 0xff},
	sched.Blocked:   {0xd6, 0x3b, 0x3b, 0xff},
	sched.Suspended: {0x8e, 0x44, 0xad, 0xff},
	sched.Exited:    {0xdd, 0xdd, 0xdd, 0xff},
}

// Palette of the views' own drawing.
var (
	colBG     = color.NRGBA{0xfb, 0xfb, 0xfb, 0xff}
	colGrid   = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
	colText   = color.NRGBA{0x21, 0x21, 0x21, 0xff}
	colDim    = color.NRGBA{0x66, 0x66, 0x66, 0xff}
	colCursor = color.NRGBA{0x15, 0x65, 0xc0, 0xff}
	colFlow   = color.NRGBA{0x15, 0x65, 0xc0, 0xc0}
	colHot    = color.NRGBA{0xc4, 0x3e, 0x00, 0xff}
	colBox    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colUintr  = color.NRGBA{0xc2, 0x18, 0x5b, 0xff} // a pending user interrupt (priority boost)
)

// coColor gives each coroutine a stable colour on hart lanes.
func coColor(id uint32) color.NRGBA {
	h := id * 2654435761
	return color.NRGBA{uint8(0x40 + h>>24%0xa0), uint8(0x40 + h>>16%0xa0), uint8(0x40 + h>>8%0xa0), 0xff}
}

// fmtDur prints a duration in ns compactly.
func fmtDur(ns uint64) string {
	d := time.Duration(ns)
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", ns)
	case d < time.Millisecond:
		return fmt.Sprintf("%.1fµs", float64(ns)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.3fs", float64(ns)/1e9)
}

// coLabel names a coroutine for display.
func coLabel(name string, id uint32) string {
	if id == sched.NoCo {
		return "-"
	}
	if name == "" {
		return fmt.Sprintf("#%d", id)
	}
	return fmt.Sprintf("%s #%d", name, id)
}
