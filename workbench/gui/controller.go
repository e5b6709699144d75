// Package gui is the workbench window: controls, the views of package
// views, and the controller that connects them to a target.
//
// # Threads
//
// The target runs on one worker goroutine owned by the Controller; the
// model and every widget belong to the UI goroutine. The worker sends what
// it got from the target across exactly one boundary, deliver, which uses
// fyne.Do; button handlers send commands the other way over a channel.
// Nothing else crosses, and no renderer ever touches the target.
package gui

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"copslab/sched"
	"copslab/workbench/cond"
	"copslab/workbench/gui/views"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// tick is how often a running target delivers to the UI.
const tick = 40 * time.Millisecond

// maxBatch bounds the events delivered per tick so the UI stays fluid.
const maxBatch = 50000

type cmdKind int

const (
	cmdRun cmdKind = iota
	cmdPause
	cmdStep
	cmdRestart
	cmdSpeed
	cmdSwitch
	cmdDo
	cmdQuit
	cmdCall
	cmdStopWhen
)

type command struct {
	kind  cmdKind
	n     int
	speed uint64
	open  func() (target.Target, error)                // cmdSwitch
	call  func(target.Target) ([]sched.Event, error)   // cmdCall
	cond  *cond.Cond                                   // cmdStopWhen
	do    func(*session.Driver) (session.Batch, error) // cmdDo
	after func(error)                                  // cmdDo, cmdSwitch: called on the UI goroutine once delivered
}

// Controller runs a target on a worker goroutine and feeds the model and
// views on the UI goroutine.
type Controller struct {
	// UI goroutine only:
	M        *model.Model
	Views    []views.View
	Cursor   uint64
	Live     bool // the cursor follows the end of the run
	Running  bool
	Steps    int
	Done     bool
	Err      error
	OnState  func()     // called after every change, to update controls
	StopCond *cond.Cond // the stop condition set (shown in the kernel pane)
	Stopped  string     // why the last run stopped on a condition, "" if not
	Saved    string     // where the recording was saved last, "" if not
	Kind     string     // target kind and name (for saved recordings)
	Name     string
	Summary  string // the target's summary of the finished run (target.Summarizer), or ""

	// worker goroutine only:
	drv      *session.Driver
	speed    uint64     // virtual ns per wall second; 0 = one decision per tick
	stopWhen *cond.Cond // pause when it holds (nil: never)

	cmds chan command
	post func(func()) // runs a function on the UI goroutine: fyne.Do

	// stopped is set once the window goes away (any goroutine): nothing
	// is posted after it, and posted functions not yet run do nothing.
	// Once Fyne's loop has ended, fyne.Do runs a function right away on
	// the caller's goroutine, so without this the worker would touch
	// widgets from its own goroutine while the application quits.
	stopped   atomic.Bool
	closeOnce sync.Once
	ended     chan struct{} // closed when the worker has closed the target
}

// NewController starts the worker for t (nil: a recording, no target).
// post runs a function on the UI goroutine; nil means fyne.Do.
func NewController(t target.Target, m *model.Model, post func(func())) *Controller {
	if post == nil {
		post = fyne.Do
	}
	c := &Controller{M: m, Live: true, cmds: make(chan command, 16), speed: 50_000, ended: make(chan struct{})}
	c.post = func(f func()) {
		if c.stopped.Load() {
			return
		}
		post(func() {
			if !c.stopped.Load() {
				f()
			}
		})
	}
	if t != nil {
		c.drv = session.New(t)
		c.Kind, c.Name = t.Info().Kind, t.Info().Name
		go c.worker()
		c.cmds <- command{kind: cmdRestart}
	} else {
		c.Done = true
	}
	return c
}

// HasTarget reports whether the controls can drive anything.
func (c *Controller) HasTarget() bool { return c.drv != nil }

// Run, Pause, Step, Restart, SetSpeed and Close are called on the UI
// goroutine; they only send commands to the worker.
func (c *Controller) Run() {
	if c.drv != nil && !c.Done {
		c.Running, c.Stopped = true, ""
		c.cmds <- command{kind: cmdRun}
		c.changed()
	}
}

func (c *Controller) Pause() {
	if c.drv != nil {
		c.Running = false
		c.cmds <- command{kind: cmdPause}
		c.changed()
	}
}

func (c *Controller) Step(n int) {
	if c.drv != nil && n > 0 {
		c.Live = true
		c.cmds <- command{kind: cmdStep, n: n}
	}
}

func (c *Controller) Restart() {
	if c.drv != nil {
		c.Running = false
		c.cmds <- command{kind: cmdRestart}
	}
}

// Switch replaces the target with the one open returns (called on the
// worker goroutine) and starts it from the beginning.
func (c *Controller) Switch(open func() (target.Target, error)) {
	if c.drv != nil {
		c.Running = false
		c.cmds <- command{kind: cmdSwitch, open: open}
	}
}

// SwitchThen is Switch, then after(err) on the UI goroutine once the new
// target's first decision is in the model.
func (c *Controller) SwitchThen(open func() (target.Target, error), after func(error)) {
	if c.drv != nil {
		c.Running = false
		c.cmds <- command{kind: cmdSwitch, open: open, after: after}
	}
}

// Do pauses, runs f with the driver on the worker goroutine, feeds its
// batch to the model and then calls after(err) on the UI goroutine (the
// lesson panel runs its steps' actions this way).
func (c *Controller) Do(f func(*session.Driver) (session.Batch, error), after func(error)) {
	if c.drv != nil {
		c.Running, c.Live = false, true
		c.cmds <- command{kind: cmdDo, do: f, after: after}
	}
}

// SetSpeed sets virtual nanoseconds per wall second (0: one decision per tick).
func (c *Controller) SetSpeed(ns uint64) {
	if c.drv != nil {
		c.cmds <- command{kind: cmdSpeed, speed: ns}
	}
}

// Close stops the worker and closes the target, and waits (up to
// closeWait) until it has: the application exits right after, and a
// kernel target's QEMU must not outlive it. It may be called more than
// once.
func (c *Controller) Close() {
	c.Stop()
	c.closeOnce.Do(func() {
		if c.drv != nil {
			c.cmds <- command{kind: cmdQuit}
			select {
			case <-c.ended:
			case <-time.After(closeWait):
			}
		}
	})
}

// closeWait bounds how long Close waits for the worker: a command in
// progress (a step that waits for a decision) ends within seconds.
const closeWait = 10 * time.Second

// Stop makes the controller post nothing more to the UI goroutine. Unlike
// the other methods it may be called from any goroutine (a signal
// handler, as the application quits).
func (c *Controller) Stop() { c.stopped.Store(true) }

// SetCursor moves the time cursor (and stops following the live end).
func (c *Controller) SetCursor(t uint64) {
	c.Cursor, c.Live = min(max(t, c.M.Start()), c.M.End()), false
	c.Refresh()
}

// Follow makes the cursor follow the end of the run again, with the
// views' zoom and scroll back to their start.
func (c *Controller) Follow() {
	c.Live = true
	c.resetViews()
	c.Refresh()
}

// resetViews puts the views' own navigation back (views.Resetter).
func (c *Controller) resetViews() {
	for _, v := range c.Views {
		if r, ok := v.(views.Resetter); ok {
			r.ResetView()
		}
	}
}

// Refresh updates every view for the cursor.
func (c *Controller) Refresh() {
	s := c.M.Now()
	if c.Live {
		c.Cursor = c.M.End()
	} else {
		s = c.M.At(c.Cursor)
	}
	for _, v := range c.Views {
		v.Update(c.M, s, c.Cursor)
	}
	c.changed()
}

func (c *Controller) changed() {
	if c.OnState != nil {
		c.OnState()
	}
}

// Status describes the run for the status line.
func (c *Controller) Status() string {
	state := "paused"
	switch {
	case c.Err != nil:
		state = "error: " + c.Err.Error()
	case c.Done:
		state = "finished"
	case c.Running:
		state = "running"
	}
	where := "live"
	if !c.Live {
		where = "cursor " + time.Duration(c.Cursor).Round(time.Microsecond/10).String()
	}
	lost := ""
	if n := c.M.Lost(); n > 0 || c.Kind == "qemu" {
		lost = fmt.Sprintf(" (%d lost)", n) // a live kernel always says it
	}
	if c.drv == nil {
		return fmt.Sprintf("recording · t = %s · %d events%s · %s", fmtNS(c.M.End()), c.M.Len(), lost, where)
	}
	return fmt.Sprintf("t = %s · %d decisions · %d events%s · %s · %s", fmtNS(c.M.End()), c.Steps, c.M.Len(), lost, where, state) + c.notes()
}

func fmtNS(ns uint64) string { return time.Duration(ns).String() }

// worker owns the target. It runs commands and, while running, advances
// the target every tick.
func (c *Controller) worker() {
	t := time.NewTicker(tick)
	defer t.Stop()
	running := false
	for {
		select {
		case k := <-c.cmds:
			switch k.kind {
			case cmdQuit:
				c.drv.T.Close()
				close(c.ended)
				return
			case cmdRun:
				running = true
			case cmdPause:
				running = false
			case cmdSpeed:
				c.speed = k.speed
			case cmdCall:
				evs, err := k.call(c.drv.T)
				c.deliver(session.Batch{Events: evs, Now: c.drv.T.Now(), Done: c.drv.T.Done()}, err, false)
			case cmdStopWhen:
				c.stopWhen = k.cond
			case cmdStep:
				b, err := c.drv.Step(k.n)
				c.deliver(b, err, false)
				c.checkStop(b)
			case cmdSwitch:
				running = false
				t, err := k.open()
				if err != nil {
					c.deliver(session.Batch{}, err, false, k.after)
					continue
				}
				c.drv.T.Close()
				c.drv = session.New(t)
				c.restart(k.after)
			case cmdDo:
				running = false
				b, err := k.do(c.drv)
				c.deliver(b, err, false, k.after)
			case cmdRestart:
				running = false
				c.restart(nil)
			}
		case <-t.C:
			if !running {
				continue
			}
			var b session.Batch
			var err error
			if _, live := c.drv.T.(target.Streamer); live {
				b, err = c.drv.Stream(tick*3/4, ^uint64(0)) // a live kernel runs at its own pace
			} else if c.speed == 0 {
				b, err = c.drv.Step(1)
			} else {
				b, err = c.drv.RunUntil(c.drv.T.Now()+c.speed*uint64(tick)/uint64(time.Second), maxBatch)
			}
			if b.Done || err != nil {
				running = false
			}
			c.deliver(b, err, false)
			if c.checkStop(b) {
				running = false
			}
		}
	}
}

// restart starts the target over and takes the first decision, so the
// window shows a populated system (the sandbox reports its time-0 spawns
// with the first step). Worker goroutine only.
func (c *Controller) restart(after func(error)) {
	b, err := c.drv.Restart()
	if err == nil {
		var first session.Batch
		first, err = c.drv.Step(1)
		b.Events, b.Snap, b.Now, b.Done, b.Steps = first.Events, first.Snap, first.Now, first.Done, first.Steps
	}
	c.deliver(b, err, true, after)
}

// deliver is the one crossing from the worker to the UI goroutine
// (through post, which is fyne.Do in the application).
func (c *Controller) deliver(b session.Batch, err error, reset bool, after ...func(error)) {
	steps := c.drv.Steps()
	info := c.drv.T.Info() // another target after a switch (a lesson's)
	summary := ""
	if s, ok := c.drv.T.(target.Summarizer); ok && b.Done {
		summary = s.Summary()
	}
	c.post(func() {
		if reset { // a restart or another scenario: a new run
			c.M.Reset()
			c.Live, c.Running = true, false
			c.Summary = ""
			c.Kind, c.Name = info.Kind, info.Name
			c.resetViews()
		}
		if summary != "" {
			c.Summary = summary
		}
		b.ApplyTo(c.M)
		c.Steps, c.Done, c.Err = steps, b.Done, err
		if b.Done || err != nil {
			c.Running = false
		}
		c.Refresh()
		for _, f := range after {
			if f != nil {
				f(err)
			}
		}
	})
}
