package gui

import (
	"fmt"
	"image"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"copslab/sched"
	"copslab/workbench/gui/views"
	"copslab/workbench/session"
	"copslab/workbench/whatif"
)

// What-if replay in the window: the What if… button asks for a change
// (a coroutine's priority, FIFO without priorities, no uintr boost),
// replays the scenario from the time cursor on the controller's worker
// (package whatif), and opens a window with both timelines one above the
// other, their cursors on the first divergence.

var whatIfKinds = []string{"a coroutine's priority", "FIFO without priorities", "no user-interrupt boost"}

// WhatIf replays the running scenario with ch until the target time
// until, on the worker goroutine, and calls done on the UI goroutine.
func (w *Workbench) WhatIf(ch whatif.Change, until uint64, done func(*whatif.Result, error)) {
	var r *whatif.Result
	var rerr error
	w.C.Do(func(d *session.Driver) (session.Batch, error) {
		sc, err := whatif.ScenarioOf(d.T)
		if err == nil {
			r, err = whatif.Replay(sc, ch, until)
		}
		rerr = err
		return session.Batch{Now: d.T.Now(), Done: d.T.Done()}, nil
	}, func(error) { done(r, rerr) })
}

// whatIfDialog asks for the change and shows the replay.
func (w *Workbench) whatIfDialog() {
	win := w.window()
	if win == nil {
		return
	}
	at := w.C.Cursor
	var names []string
	for _, c := range w.C.M.At(at).Cos {
		if c.Kind == sched.KindUser && c.State != sched.Exited && c.Name != "" && !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	kind := widget.NewRadioGroup(whatIfKinds, nil)
	kind.SetSelected(whatIfKinds[0])
	co := widget.NewSelect(names, nil)
	if len(names) > 0 {
		co.SetSelected(names[0])
	}
	prio := widget.NewSelect([]string{"0", "1", "2", "3", "4", "5", "6", "7"}, nil)
	prio.SetSelected("0")
	dur := widget.NewEntry()
	dur.SetText("1ms")
	items := []*widget.FormItem{
		widget.NewFormItem("Change", kind), widget.NewFormItem("Coroutine", co),
		widget.NewFormItem("Priority", prio), widget.NewFormItem("Run for", dur),
	}
	dialog.ShowForm(fmt.Sprintf("What if… (from the cursor, %s)", time.Duration(at)), "Replay", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		ch := whatif.Change{At: at}
		switch kind.Selected {
		case whatIfKinds[1]:
			ch.Policy = whatif.PolicyFIFO
		case whatIfKinds[2]:
			ch.Policy = whatif.PolicyNoBoost
		default:
			ch.Co = co.Selected
			ch.Prio, _ = strconv.Atoi(prio.Selected)
		}
		d, err := time.ParseDuration(dur.Text)
		if err != nil || d <= 0 {
			dialog.ShowError(fmt.Errorf("run for: want a duration such as 500us or 2ms, got %q", dur.Text), win)
			return
		}
		w.WhatIf(ch, at+uint64(d), func(r *whatif.Result, err error) {
			if err != nil {
				dialog.ShowError(err, win)
				return
			}
			rw := fyne.CurrentApp().NewWindow("copslab — what if " + ch.String())
			rw.SetContent(WhatIfView(r))
			rw.Resize(fyne.NewSize(1200, 760))
			rw.Show()
		})
	}, win)
}

// window returns the window that shows the workbench, or nil.
func (w *Workbench) window() fyne.Window {
	c := fyne.CurrentApp().Driver().CanvasForObject(w.content)
	for _, win := range fyne.CurrentApp().Driver().AllWindows() {
		if win.Canvas() == c {
			return win
		}
	}
	return nil
}

// WhatIfView shows a replay: the run as it was above, the changed run
// below, each timeline's cursor on the first divergence.
func WhatIfView(r *whatif.Result) fyne.CanvasObject {
	base, alt := views.NewTimeline(), views.NewTimeline()
	t := r.T
	head := fmt.Sprintf("What if %s: the runs never differ.", r.Change)
	if r.Diverged {
		b, a := r.Describe()
		head = fmt.Sprintf("What if %s — first divergence at %s (the cursor line in both timelines)\nas run:   %s\nwhat if:  %s",
			r.Change, time.Duration(t), b, a)
	} else {
		t = r.Base.End()
	}
	base.Update(r.Base, r.Base.At(t), t)
	alt.Update(r.Alt, r.Alt.At(t), t)
	t0, t1 := float64(min(r.Base.Start(), r.Alt.Start())), float64(max(r.Base.End(), r.Alt.End()))
	t1 += (t1 - t0) * 0.02
	base.SetView(t0, t1) // one time axis for both, so they line up
	alt.SetView(t0, t1)
	title := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	split := container.NewVSplit(
		container.NewBorder(title("As run"), nil, nil, nil, base),
		container.NewBorder(title("What if: "+r.Change.String()), nil, nil, nil, alt))
	return container.NewBorder(widget.NewLabel(head), nil, nil, nil, split)
}

// RenderWhatIf draws WhatIfView with Fyne's software renderer (no
// display; an app must exist, as for RenderView).
func RenderWhatIf(r *whatif.Result, size fyne.Size) image.Image {
	fyne.CurrentApp().Settings().SetTheme(theme.LightTheme())
	c := software.NewCanvas()
	c.SetContent(WhatIfView(r))
	c.Resize(size)
	return c.Capture()
}
