// Package views holds the workbench's Fyne views. Each view is a custom
// widget on widget.BaseWidget whose renderer creates its canvas objects
// once (or reuses them from a pool) and that reads only the model: the
// controller calls Update(m, state, cursor) on the UI goroutine, and the
// view redraws from what the model says about that instant. No view talks
// to a target.
//
// Views: Timeline (swimlanes per hart and coroutine, zoom, pan, cursor,
// wakeup arrows), Tasks (sortable, filterable table), States (state-machine
// diagram with live counts and the last transitions highlighted), Queues
// (per-process bitmap and FIFO queues, global priority array) and Wakeups
// (source → woken coroutine with per-stage latency).
package views

import (
	"copslab/workbench/model"
)

// View is what the controller and the render command drive.
type View interface {
	// Update shows the model at cursor; s is m.At(cursor) (or m.Now()).
	Update(m *model.Model, s *model.Snapshot, cursor uint64)
}

// Resetter is a view with its own navigation (zoom, scroll) that a new
// run, a restart or Live puts back to its initial state.
type Resetter interface {
	ResetView()
}
