package gui

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/gui/lessonpanel"
	"copslab/workbench/gui/views"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// speeds are the run speeds offered, in virtual time per wall second.
var speeds = []struct {
	label string
	ns    uint64
}{
	{"1 decision / tick", 0}, {"10 µs/s", 10_000}, {"50 µs/s", 50_000},
	{"200 µs/s", 200_000}, {"1 ms/s", 1_000_000}, {"10 ms/s", 10_000_000},
}

// Workbench is the window content: controls on top, the timeline, and
// the other views in tabs below it.
type Workbench struct {
	C        *Controller
	Controls map[string]fyne.CanvasObject // by name, for tests and the UI map

	timeline    *views.Timeline
	tasks       *views.Tasks
	status      *widget.Label
	slider      *widget.Slider
	run         *widget.Button
	scenario    *scenarioButton
	syncing     bool
	content     fyne.CanvasObject
	src         *SourcePane // Delve: the scheduler's source (source.go)
	tabs        *container.AppTabs
	summary     *summaryTab
	split       *container.Split   // timeline above, tabs below
	notice      *widget.Label      // why this target (e.g. the sandbox because QEMU is missing)
	stateWrites int                // COPSLAB_UI_STATE writes (uistate.go)
	lessons     *lessonpanel.Panel // side panel (lessons.go); nil for a recording
	warnings    *views.Warnings    // the model's automatic warnings, in a tab
	warnTab     *container.TabItem
}

// New builds the workbench for target t (nil: show model m read from a
// recording, without run controls). post runs functions on the UI
// goroutine (nil: fyne.Do; tests pass their own).
func New(t target.Target, m *model.Model, post func(func())) *Workbench {
	w := &Workbench{Controls: map[string]fyne.CanvasObject{}}
	w.C = NewController(t, m, post)
	w.timeline = views.NewTimeline()
	w.timeline.OnCursor = w.C.SetCursor
	w.tasks = views.NewTasks()
	states, queues, wake := views.NewStates(), views.NewQueues(), views.NewWakeups()
	states.Animate = true
	w.warnings = views.NewWarnings()
	w.C.Views = []views.View{w.timeline, w.tasks, states, queues, wake, w.warnings}
	w.src = newSourcePane(func() *model.Model { return w.C.M }, func() uint64 { return w.C.Cursor }, w.C.post, w.Controls)
	if t != nil {
		w.src.Scenario = t.Info().Source
	}
	tabs := container.NewAppTabs(
		container.NewTabItem("Tasks", w.tasks),
		container.NewTabItem("States", container.NewScroll(states)),
		container.NewTabItem("Queues", container.NewScroll(queues)),
		container.NewTabItem("Wakeups / UINTR", container.NewScroll(wake)),
	)
	w.warnTab = container.NewTabItem(w.warnings.Title(), container.NewScroll(w.warnings))
	tabs.Append(w.warnTab)
	w.summary = newSummaryTab()
	w.Controls["summary"] = w.summary.text
	tabs.Append(w.summary.item)
	tabs.Append(newExperimentsTab(ExperimentsDir).item)
	tabs.Append(container.NewTabItem("Source (Delve)", w.src.Content()))
	if kp := w.newKernelPane(t); kp != nil {
		tabs.Append(container.NewTabItem("Kernel", kp.content))
	}
	w.tabs = tabs
	split := container.NewVSplit(w.timeline, tabs)
	w.split = split
	split.Offset = 0.42
	w.notice = widget.NewLabel("")
	w.notice.Hide()
	var main fyne.CanvasObject = split
	if t != nil {
		w.lessons = w.newLessonPanel(t)
		side := container.NewHSplit(split, w.lessons.Content())
		side.Offset = 0.7
		main = side
	}
	w.content = container.NewBorder(container.NewVBox(w.notice, w.controls(), w.conditionBar()), nil, nil, nil, main)
	w.C.OnState = w.sync
	w.C.Refresh()
	return w
}

// SelectScenario switches to built-in scenario name, as its menu item does.
func (w *Workbench) SelectScenario(name string) { w.scenario.SetSelected(name) }

// ShowScenario shows name as the current scenario without switching.
func (w *Workbench) ShowScenario(name string) {
	w.syncing = true
	w.scenario.SetSelected(name)
	w.syncing = false
}

// Content returns the window content.
func (w *Workbench) Content() fyne.CanvasObject { return w.content }

// SelectedTab returns the title of the tab in front.
func (w *Workbench) SelectedTab() string { return w.tabs.Selected().Text }

// Timeline returns the timeline view.
func (w *Workbench) Timeline() *views.Timeline { return w.timeline }

func (w *Workbench) button(name, label string, tap func()) *widget.Button {
	b := widget.NewButton(label, tap)
	w.Controls[name] = b
	return b
}

// controls builds the control bar and the time slider.
func (w *Workbench) controls() fyne.CanvasObject {
	w.run = w.button("run", "Run", func() {
		if w.C.Running {
			w.C.Pause()
		} else {
			w.C.Run()
		}
	})
	step := w.button("step", "Step", func() { w.C.Step(1) })
	n := widget.NewEntry()
	n.SetText("10")
	w.Controls["n"] = n
	stepN := w.button("stepn", "Step N", func() {
		k, err := strconv.Atoi(strings.TrimSpace(n.Text))
		if err != nil || k < 1 {
			w.status.SetText(fmt.Sprintf("Step N: %q is not a number of decisions (a whole number, 1 or more)", n.Text))
			return
		}
		w.C.Step(k)
	})
	restart := w.button("restart", "Restart", w.C.Restart)
	live := w.button("live", "Live", w.C.Follow)
	labels := make([]string, len(speeds))
	for i, s := range speeds {
		labels[i] = s.label
	}
	speed := widget.NewSelect(labels, func(l string) {
		for _, s := range speeds {
			if s.label == l {
				w.C.SetSpeed(s.ns)
			}
		}
	})
	speed.SetSelected(speeds[2].label)
	w.Controls["speed"] = speed
	scen := newScenarioButton(func(name string) {
		if !w.syncing {
			w.C.Switch(func() (target.Target, error) { return target.OpenSandbox(name) })
			w.src.Scenario = name
		}
	})
	w.scenario = scen
	w.Controls["scenario"] = scen
	if !w.C.HasTarget() {
		for _, o := range []fyne.Disableable{w.run, step, stepN, restart, n, speed, scen} {
			o.Disable()
		}
	}
	w.status = widget.NewLabel("")
	w.Controls["status"] = w.status
	w.slider = widget.NewSlider(0, 1)
	w.slider.OnChanged = func(v float64) {
		if !w.syncing {
			w.C.SetCursor(uint64(v))
		}
	}
	w.Controls["slider"] = w.slider
	debug := w.button("debug", "Step into (Delve)", w.stepInto)
	whatIf := w.button("whatif", "What if…", w.whatIfDialog)
	if !w.C.HasTarget() {
		debug.Disable()
		whatIf.Disable()
	}
	// Run keeps the width of its wider label, so the bar does not shift
	// when it turns into Pause; the status has its own line, the whole
	// window wide, so it is not cut at the window's edge.
	runW := widget.NewButton("Pause", nil).MinSize()
	bar := container.NewHBox(container.NewGridWrap(runW, w.run), step, container.NewGridWrap(fyne.NewSize(60, n.MinSize().Height), n), stepN, restart, speed, scen, live, debug, whatIf)
	return container.NewVBox(bar, w.status, w.slider)
}

// sync updates the controls from the controller (UI goroutine).
func (w *Workbench) sync() {
	if w.C.Running {
		w.run.SetText("Pause")
	} else {
		w.run.SetText("Run")
	}
	w.status.SetText(w.C.Status())
	w.summary.show(w.C.Summary, w.tabs)
	w.syncing = true
	w.slider.Min, w.slider.Max = float64(w.C.M.Start()), float64(max(w.C.M.End(), w.C.M.Start()+1))
	w.slider.Step = max(1, (w.slider.Max-w.slider.Min)/1000)
	w.slider.SetValue(float64(w.C.Cursor))
	w.syncing = false
	if w.lessons != nil {
		w.lessons.Refresh()
	}
	if t := w.warnings.Title(); t != w.warnTab.Text {
		w.warnTab.Text = t
		w.tabs.Refresh()
	}
}

// writeUIMap writes the window-pixel centre of every named control to
// path as JSON, so an external test can click them (COPSLAB_UI_MAP).
func (w *Workbench) writeUIMap(c fyne.Canvas, path string) error {
	out := map[string][2]int{}
	d := fyne.CurrentApp().Driver()
	all := maps.Clone(w.Controls)
	if w.lessons != nil {
		for name, o := range w.lessons.Controls {
			if o.Visible() {
				all[name] = o
			}
		}
	}
	for name, o := range all {
		p := d.AbsolutePositionForObject(o)
		s := o.Size()
		sc := c.Scale()
		out[name] = [2]int{int((p.X + s.Width/2) * sc), int((p.Y + s.Height/2) * sc)}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Show opens the workbench in a window of app a and runs the app.
func Show(a fyne.App, title string, t target.Target, m *model.Model) {
	ShowNotice(a, title, "", t, m)
}

// ShowNotice is Show with a notice line above the controls (why this
// target was chosen).
func ShowNotice(a fyne.App, title, notice string, t target.Target, m *model.Model) {
	if m == nil {
		m = model.New()
	}
	a.Settings().SetTheme(theme.LightTheme()) // the views are drawn for a light background
	win := a.NewWindow(title)
	w := New(t, m, nil)
	w.SetNotice(notice)
	if t != nil {
		w.ShowScenario(t.Info().Name)
	}
	if w.lessons != nil {
		w.lessons.UseStore(a.Preferences()) // remembers the last lesson and step across runs
	}
	win.SetContent(w.Content())
	win.Resize(fyne.NewSize(1280, 800))
	fitScreen(a, win)
	win.SetOnClosed(w.Close)
	quitOnSignal(a, w.C)
	if path := os.Getenv("COPSLAB_UI_STATE"); path != "" {
		w.C.OnState = func() {
			w.sync()
			if err := w.writeUIState(path); err != nil {
				fyne.LogError("ui state", err)
			}
		}
	}
	if path := os.Getenv("COPSLAB_UI_MAP"); path != "" {
		w.src.onShown = func() { w.writeUIMap(win.Canvas(), path) } // its controls were hidden at start
		if w.lessons != nil {
			w.lessons.OnLayout = func() { w.rewriteUIMapSoon(win.Canvas(), path) }
		}
		go func() {
			time.Sleep(time.Second)
			fyne.Do(func() {
				if err := w.writeUIMap(win.Canvas(), path); err != nil {
					fyne.LogError("ui map", err)
				}
			})
		}()
	}
	win.ShowAndRun()
	w.Close()
}

// quitOnSignal ends the application on SIGINT or SIGTERM. Fyne quits on
// them by itself, but the controller must stop posting first: once the
// loop has ended, functions posted by the worker would run on its own
// goroutine and every widget call would log a thread error.
func quitOnSignal(a fyne.App, c *Controller) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		c.Stop()
		fyne.Do(a.Quit)
	}()
}

// stepInto shows the source pane stopped in the scheduler's next decision
// at or after the time cursor ("step into" from the timeline).
func (w *Workbench) stepInto() {
	w.tabs.SelectIndex(len(w.tabs.Items) - 1)
	if w.split.Offset > 0.25 {
		w.split.SetOffset(0.25) // room for source, locals and queues
	}
	w.src.StepIntoCursor()
}

// Close stops the target's worker and the Delve session.
func (w *Workbench) Close() {
	w.C.Close()
	w.src.Close()
}
