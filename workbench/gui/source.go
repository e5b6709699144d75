package gui

// The source pane: the scheduler's Go source stepped with Delve. It runs a
// copy of the current scenario in a separate debuggee under a headless dlv
// (package workbench/delve) and, at every stop, shows the current line of
// sched/ with the locals beside it and the scheduler region read from the
// stopped process, decoded into the same Queues, Tasks and States views as
// the main run.
//
// Threads: as in the Controller, the Delve session belongs to one worker
// goroutine; buttons send it requests, and each result crosses back once,
// through post. While a request runs, further taps are ignored. If dlv is
// missing or fails, the pane says so and nothing else is affected: the
// main run never waits for the pane.

import (
	"fmt"
	"image/color"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/delve"
	"copslab/workbench/gui/views"
	"copslab/workbench/model"
)

// SourceLineColor is the background of the stopped line.
var SourceLineColor = color.NRGBA{0xc6, 0xe2, 0xff, 0xff}

// sourceContext is how many lines are shown before the stopped line.
const sourceContext = 6

// sourceLines is how many lines of source are shown.
const sourceLines = 24

// SourcePane is the Delve pane. Its fields belong to the UI goroutine,
// except sess and sessScenario, which belong to its worker.
type SourcePane struct {
	Scenario string // scenario the next session runs (the main run's)

	status  *widget.Label
	header  *widget.Label
	frames  *widget.Select // the stack: choosing a frame shows its line and variables
	syncing bool           // frames is being set from a result, not by the user
	source  *widget.TextGrid
	scroll  *container.Scroll // around source
	vars    *widget.TextGrid
	breaks  *widget.CheckGroup
	views   []views.View
	content fyne.CanvasObject
	busy    bool
	closed  bool

	onShown func() // after each result is shown (the window's UI map for tests)

	names  func() *model.Model // the main run's model: names, events
	cursor func() uint64
	post   func(func())
	reqs   chan srcReq
	done   chan struct{} // closed when the worker has ended the session

	sess         *delve.Session // worker only
	sessScenario string         // worker only
}

// srcReq is one command for the worker.
type srcReq struct {
	label    string
	scenario string
	restart  bool     // start a new session even if one runs
	breaks   []string // functions to have breakpoints on
	op       func(*delve.Session) (*delve.Stop, error)
}

// srcResult is what the worker hands back.
type srcResult struct {
	label     string
	err       error
	started   bool
	missing   []string
	stop      *delve.Stop
	snap      *model.Snapshot
	decodeErr error
	lines     []string // source around the stop
	first     int      // line number of lines[0]
}

// newSourcePane builds the pane; controls are registered in controls.
func newSourcePane(names func() *model.Model, cursor func() uint64, post func(func()), controls map[string]fyne.CanvasObject) *SourcePane {
	p := &SourcePane{names: names, cursor: cursor, post: post, reqs: make(chan srcReq, 1), done: make(chan struct{})}
	p.status = widget.NewLabel("Delve is not started. “Step into” in the bar (or Next decision here) starts it and stops in " + delve.DecisionFunc + " at the time cursor.")
	p.status.Wrapping = fyne.TextWrapWord
	controls["dlv-status"] = p.status
	p.header = widget.NewLabel("")
	p.header.TextStyle.Bold = true
	p.frames = widget.NewSelect(nil, func(string) {
		if n := p.frames.SelectedIndex(); !p.syncing && n >= 0 {
			p.do(srcReq{label: fmt.Sprintf("frame %d", n), op: func(s *delve.Session) (*delve.Stop, error) { return s.InFrame(n) }})
		}
	})
	p.frames.PlaceHolder = "stack frame"
	controls["dlv-frame"] = p.frames
	p.source = widget.NewTextGrid()
	p.source.ShowLineNumbers = false
	p.vars = widget.NewTextGrid()
	controls["dlv-source"], controls["dlv-vars"] = p.source, p.vars
	p.breaks = widget.NewCheckGroup(delve.Funcs, nil)
	p.breaks.Horizontal = true
	p.breaks.SetSelected([]string{delve.DecisionFunc})
	button := func(name, label string, op func(*delve.Session) (*delve.Stop, error)) *widget.Button {
		b := widget.NewButton(label, func() { p.do(srcReq{label: label, op: op}) })
		controls[name] = b
		return b
	}
	start := widget.NewButton("Start / restart", func() { p.do(srcReq{label: "start", restart: true}) })
	controls["dlv-start"] = start
	bar := container.NewHBox(start,
		button("dlv-continue", "Continue", (*delve.Session).Continue),
		button("dlv-step", "Step", (*delve.Session).Step),
		button("dlv-next", "Next", (*delve.Session).Next),
		button("dlv-stepout", "Step out", (*delve.Session).StepOut),
		button("dlv-decision", "Next decision", (*delve.Session).NextDecision))
	queues, tasks, states := views.NewQueues(), views.NewTasks(), views.NewStates()
	p.views = []views.View{queues, tasks, states}
	right := container.NewAppTabs(
		container.NewTabItem("Queues", container.NewScroll(queues)),
		container.NewTabItem("Tasks", tasks),
		container.NewTabItem("States", container.NewScroll(states)),
	)
	p.scroll = container.NewScroll(p.source)
	left := container.NewVSplit(p.scroll, container.NewScroll(p.vars))
	left.Offset = 0.55
	head := container.NewBorder(nil, nil, p.header, nil, p.frames)
	body := container.NewHSplit(container.NewBorder(head, nil, nil, nil, left), right)
	body.Offset = 0.56
	breaks := container.NewBorder(nil, nil, widget.NewLabel("break on:"), nil, container.NewHScroll(p.breaks))
	top := container.NewVBox(bar, breaks, p.status)
	p.content = container.NewBorder(top, nil, nil, nil, body)
	go p.worker()
	return p
}

// Content returns the pane.
func (p *SourcePane) Content() fyne.CanvasObject { return p.content }

// StepIntoCursor runs the debuggee to the next decision after the main
// run's time cursor (the one that records the first event later than the
// cursor, or the next one the run has not made yet) and stops in the
// decision function.
func (p *SourcePane) StepIntoCursor() {
	t, evs := p.cursor(), p.names().Events()
	i := sort.Search(len(evs), func(i int) bool { return evs[i].Time > t })
	seq := uint64(0)
	if i < len(evs) {
		seq = evs[i].Seq
	} else if len(evs) > 0 {
		seq = evs[len(evs)-1].Seq + 1
	}
	p.do(srcReq{label: fmt.Sprintf("step into the decision after %s (event #%d)", fmtNS(t), seq),
		op: func(s *delve.Session) (*delve.Stop, error) { return s.RunToEvent(seq) }})
}

// Close ends the worker and with it the debuggee and dlv. It waits a few
// seconds for that, so the application does not exit first and leave the
// debuggee's build directory behind.
func (p *SourcePane) Close() {
	if !p.closed {
		p.closed = true
		close(p.reqs)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// do hands a request to the worker unless one is running.
func (p *SourcePane) do(r srcReq) {
	if p.busy || p.closed {
		return
	}
	p.busy = true
	r.scenario, r.breaks = p.Scenario, p.breaks.Selected
	p.status.Importance = widget.MediumImportance
	p.status.SetText(r.label + " …")
	p.reqs <- r
}

// worker owns the Delve session.
func (p *SourcePane) worker() {
	for r := range p.reqs {
		res := p.exec(r)
		p.post(func() { p.show(res) })
	}
	if p.sess != nil {
		p.sess.Close()
	}
	close(p.done)
}

// exec runs one request (worker goroutine).
func (p *SourcePane) exec(r srcReq) srcResult {
	res := srcResult{label: r.label}
	if r.restart || p.sess == nil || p.sessScenario != r.scenario {
		if p.sess != nil {
			p.sess.Close()
			p.sess = nil
		}
		s, err := delve.Start(delve.Options{Scenario: r.scenario})
		if err != nil {
			res.err = fmt.Errorf("Delve is not available, the rest of the workbench works as before: %w", err)
			return res
		}
		p.sess, p.sessScenario, res.started, res.missing = s, r.scenario, true, s.Missing
	}
	for _, f := range delve.Funcs {
		want := false
		for _, b := range r.breaks {
			want = want || b == f
		}
		if len(p.sess.Symbols[f]) == 0 || want == p.sess.Breaks(f) {
			continue
		}
		var err error
		if want {
			err = p.sess.Break(f)
		} else {
			err = p.sess.Unbreak(f)
		}
		if err != nil {
			res.err = err
			return res
		}
	}
	if r.op == nil {
		return res
	}
	res.stop, res.err = r.op(p.sess)
	if res.stop == nil || res.stop.Exited {
		return res
	}
	res.snap, res.decodeErr = p.sess.Snapshot()
	res.lines, res.first = readSource(res.stop.File, res.stop.Line)
	return res
}

// readSource returns the lines around line of file.
func readSource(file string, line int) ([]string, int) {
	b, err := os.ReadFile(file)
	if err != nil {
		return []string{fmt.Sprintf("(source %s not readable: %v)", file, err)}, 0
	}
	all := strings.Split(strings.ReplaceAll(string(b), "\t", "    "), "\n")
	first := max(1, line-sourceContext)
	last := min(len(all), first+sourceLines-1)
	return all[first-1 : last], first
}

// show displays a result (UI goroutine).
func (p *SourcePane) show(r srcResult) {
	p.busy = false
	if p.onShown != nil {
		defer p.onShown()
	}
	switch {
	case r.err != nil:
		p.status.Importance = widget.DangerImportance
		p.status.SetText(r.err.Error())
		logf("delve: %s: %v", r.label, r.err)
		return
	case r.stop == nil:
		msg := "Delve is ready: the sandbox is stopped before main. Continue runs to a breakpoint; Next decision stops in " + delve.DecisionFunc + "."
		if len(r.missing) > 0 {
			msg += fmt.Sprintf(" (not in this build, so no breakpoint: %s)", strings.Join(r.missing, ", "))
		}
		p.status.Importance = widget.SuccessImportance
		p.status.SetText(msg)
		return
	case r.stop.Exited:
		p.status.Importance = widget.WarningImportance
		p.status.SetText(r.stop.Where() + ". Step into or Next decision starts it again.")
		p.header.SetText("")
		return
	}
	st := r.stop
	p.status.Importance = widget.MediumImportance
	where := "stopped"
	if st.Breakpoint != "" {
		where = "breakpoint"
	}
	if st.Frame > 0 {
		where = fmt.Sprintf("frame %d of the stop,", st.Frame)
	}
	msg := fmt.Sprintf("%s at %s", where, st.Where())
	if !st.InSched() {
		msg += " (outside sched/)"
	}
	if r.decodeErr != nil {
		msg += "; the region does not decode here (mid-operation), views keep the last good state: " + r.decodeErr.Error()
	}
	p.status.SetText(msg)
	p.header.SetText(fmt.Sprintf("%s   goroutine %d · decision %d · t = %s", filepath.Base(st.File), st.Goroutine, st.Decision, fmtNS(st.Clock)))
	p.showSource(r.lines, r.first, st.Line)
	p.vars.SetText(formatVars(st))
	p.showFrames(st)
	if r.snap != nil {
		m := p.names()
		snap := r.snap
		for i := range snap.Cos {
			snap.Cos[i].Name = m.CoName(snap.Cos[i].ID)
		}
		for i := range snap.Procs {
			snap.Procs[i].Name = m.ProcName(snap.Procs[i].ID)
		}
		dm := model.New()
		dm.Sync(snap)
		for _, v := range p.views {
			v.Update(dm, dm.Now(), snap.Time)
		}
	}
	logf("delve: %s at %s:%d in %s (decision %d)", where, st.File, st.Line, st.Func, st.Decision)
}

// showSource fills the source grid and highlights the current line.
func (p *SourcePane) showSource(lines []string, first, cur int) {
	var b strings.Builder
	for i, l := range lines {
		mark := "  "
		if first+i == cur {
			mark = "▶ "
		}
		fmt.Fprintf(&b, "%s%4d  %s\n", mark, first+i, l)
	}
	p.source.SetText(strings.TrimSuffix(b.String(), "\n"))
	p.source.Refresh()
	if row := cur - first; first > 0 && row >= 0 && row < len(lines) {
		p.source.SetRowStyle(row, &widget.CustomTextGridStyle{BGColor: SourceLineColor})
		p.source.Refresh()
		y := p.source.PositionForCursorLocation(row, 0).Y
		p.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-p.scroll.Size().Height/3)))
	}
}

// showFrames lists the stack in the frame chooser and selects st's frame.
func (p *SourcePane) showFrames(st *delve.Stop) {
	opts := make([]string, len(st.Frames))
	for i, f := range st.Frames {
		opts[i] = fmt.Sprintf("%d  %s  %s:%d", i, delve.ShortFunc(f.Func), filepath.Base(f.File), f.Line)
	}
	p.syncing = true
	p.frames.SetOptions(opts)
	p.frames.SetSelectedIndex(st.Frame)
	p.syncing = false
}

// formatVars lists arguments, locals, return values and the stack.
func formatVars(st *delve.Stop) string {
	var b strings.Builder
	short := func(s string) string { return strings.ReplaceAll(s, "copslab/", "") }
	result := func(v delve.Var) bool { return strings.HasPrefix(v.Name, "~r") } // unnamed results
	arg := func(v delve.Var) bool { return !result(v) }
	all := func(delve.Var) bool { return true }
	section := func(title string, vs []delve.Var, keep func(delve.Var) bool) {
		head := false
		for _, v := range vs {
			if !keep(v) {
				continue
			}
			if !head {
				fmt.Fprintf(&b, "%s\n", title)
				head = true
			}
			fmt.Fprintf(&b, "  %-10s %-8s = %s\n", v.Name, short(v.Type), short(v.Value))
		}
	}
	section("locals", st.Locals, all)
	section("arguments", st.Args, arg)
	section("results so far", st.Args, result)
	section("returned", st.Returned, all)
	fmt.Fprintf(&b, "goroutine %d stack\n", st.Goroutine)
	for i, f := range st.Frames {
		if i == 8 {
			fmt.Fprintf(&b, "  … %d more\n", len(st.Frames)-i)
			break
		}
		fmt.Fprintf(&b, "  %d %s  %s:%d\n", i, delve.ShortFunc(f.Func), filepath.Base(f.File), f.Line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// logf reports the pane's stops and errors on stderr when the window runs
// under a test that reads them (COPSLAB_UI_MAP set), so it can check what
// the pane shows.
func logf(f string, a ...any) {
	if os.Getenv("COPSLAB_UI_MAP") != "" {
		log.Printf(f, a...)
	}
}
