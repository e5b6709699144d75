// Package session drives a target and turns what it reports into batches
// for the model and the recorder. A Driver is used from one goroutine
// (the CLI's, or the GUI's worker); the batches it returns are applied to
// a model by whoever owns the model (the GUI does it inside fyne.Do).
package session

import (
	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// DefaultSnapEvery is how many decisions separate two snapshots.
const DefaultSnapEvery = 64

// Batch is what a target reported during some steps.
type Batch struct {
	Events []sched.Event
	Snap   *model.Snapshot // keyframe taken after Events, or nil
	Names  *model.Snapshot // a snapshot to learn names from only (Start)
	Now    uint64
	Done   bool
	Steps  int
}

// ApplyTo feeds the batch to m.
func (b *Batch) ApplyTo(m *model.Model) {
	if b.Names != nil {
		m.Learn(b.Names)
	}
	m.Add(b.Events...)
	if b.Snap != nil {
		m.Sync(b.Snap)
	}
}

// Driver steps a target and takes snapshots every SnapEvery decisions and
// at the end of the run.
type Driver struct {
	T         target.Target
	SnapEvery int
	steps     int
	sinceSnap int
}

// New returns a driver for t.
func New(t target.Target) *Driver { return &Driver{T: t, SnapEvery: DefaultSnapEvery} }

// Steps returns the decisions taken since the start (or restart).
func (d *Driver) Steps() int { return d.steps }

// Start returns the names of what exists before any decision. Its
// snapshot is not a keyframe: a target may already hold state whose
// events it reports with the first step (the sandbox spawns at time 0).
func (d *Driver) Start() (Batch, error) {
	s, err := d.T.Snapshot()
	return Batch{Names: s, Now: d.T.Now(), Done: d.T.Done()}, err
}

// Step takes n scheduling decisions (fewer if the run ends).
func (d *Driver) Step(n int) (Batch, error) {
	var b Batch
	for i := 0; i < n && !d.T.Done(); i++ {
		evs, err := d.T.Step()
		if err != nil {
			return b, err
		}
		b.Events = append(b.Events, evs...)
		b.Steps++
	}
	return d.finish(b, false)
}

// RunUntil takes decisions until the target's clock reaches t, the run
// ends, or maxEvents events were collected (so a GUI stays responsive).
func (d *Driver) RunUntil(t uint64, maxEvents int) (Batch, error) {
	if s, ok := d.T.(target.Streamer); ok {
		return d.streamUntil(s, t, maxEvents)
	}
	var b Batch
	for !d.T.Done() && d.T.Now() < t && len(b.Events) < maxEvents {
		evs, err := d.T.Step()
		if err != nil {
			return b, err
		}
		b.Events = append(b.Events, evs...)
		b.Steps++
	}
	return d.finish(b, false)
}

// Restart starts the target over, if it can.
func (d *Driver) Restart() (Batch, error) {
	r, ok := d.T.(target.Restarter)
	if !ok {
		return Batch{}, target.ErrUnsupported
	}
	if err := r.Restart(); err != nil {
		return Batch{}, err
	}
	d.steps, d.sinceSnap = 0, 0
	return d.Start()
}

func (d *Driver) finish(b Batch, force bool) (Batch, error) {
	d.steps += b.Steps
	d.sinceSnap += b.Steps
	b.Now, b.Done = d.T.Now(), d.T.Done()
	if force || b.Done || d.sinceSnap >= d.SnapEvery {
		s, err := d.T.Snapshot()
		if err != nil {
			return b, err
		}
		b.Snap, d.sinceSnap = s, 0
	}
	return b, nil
}
