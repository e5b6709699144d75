package gui

import (
	"errors"
	"time"

	"copslab/sched"
	"copslab/workbench/cond"
	"copslab/workbench/live"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// Back-end specific actions and stop conditions. Call and StopWhen are
// called on the UI goroutine and only send commands; the worker runs
// them (controller.go) and checkStop runs there after every batch.

// Call runs f on the worker goroutine with the target (stepping one
// kernel instruction, reconnecting…); the events it returns are shown
// like any batch.
func (c *Controller) Call(f func(target.Target) ([]sched.Event, error)) {
	if c.drv != nil {
		c.cmds <- command{kind: cmdCall, call: f}
	}
}

// StopWhen makes a running target pause at the first event where k holds
// (nil: never), with the time cursor on that event.
func (c *Controller) StopWhen(k *cond.Cond) {
	c.StopCond = k
	if c.drv != nil {
		c.cmds <- command{kind: cmdStopWhen, cond: k}
	}
}

// checkStop tests the stop condition on a batch just delivered; on a
// match it pauses the window on the matching event. Worker goroutine.
func (c *Controller) checkStop(b session.Batch) bool {
	if c.stopWhen == nil {
		return false
	}
	i, ok := c.stopWhen.Check(b.Events)
	if !ok {
		return false
	}
	at, text := b.Events[i].Time, c.stopWhen.Text
	c.post(func() {
		c.Running, c.Stopped = false, text+" at "+time.Duration(at).String()
		c.SetCursor(at)
	})
	return true
}

// StepBack moves the time cursor to the event before it: stepping back
// through what was recorded (the target is not touched).
func (c *Controller) StepBack() {
	evs := c.M.Events()
	cur := c.Cursor
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Time < cur {
			c.SetCursor(evs[i].Time)
			return
		}
	}
	if len(evs) > 0 {
		c.SetCursor(evs[0].Time)
	}
}

// notes adds the stop condition, a saved recording and what to do after
// the target died to the status line.
func (c *Controller) notes() string {
	var out string
	if c.Stopped != "" && !c.Running {
		out += " · stopped: " + c.Stopped
	} else if c.StopCond != nil {
		out += " · stop when " + c.StopCond.Text
	}
	var died *live.DiedError
	if errors.As(c.Err, &died) {
		out += " · the recording is kept: Save recording, or Reconnect"
	}
	if c.Saved != "" {
		out += " · saved " + c.Saved
	}
	return out
}
