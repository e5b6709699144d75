package session

import (
	"time"

	"copslab/workbench/target"
)

// A Streamer target (the live kernel) runs on its own clock; the driver
// lets it run in wall-time slices instead of stepping it decision by
// decision. Every event it reports counts as one decision.

// Stream lets a streaming target run for about wall of real time (at most
// until its clock reaches until). Other targets take one decision.
func (d *Driver) Stream(wall time.Duration, until uint64) (Batch, error) {
	s, ok := d.T.(target.Streamer)
	if !ok {
		return d.Step(1)
	}
	var b Batch
	if d.T.Done() {
		return d.finish(b, false)
	}
	evs, err := s.Stream(wall, until)
	b.Events, b.Steps = evs, len(evs)
	if err != nil {
		d.steps += b.Steps
		b.Now, b.Done = d.T.Now(), d.T.Done()
		return b, err
	}
	return d.finish(b, false)
}

// streamUntil is RunUntil for a streaming target.
func (d *Driver) streamUntil(s target.Streamer, t uint64, maxEvents int) (Batch, error) {
	var b Batch
	for !d.T.Done() && d.T.Now() < t && len(b.Events) < maxEvents {
		evs, err := s.Stream(100*time.Millisecond, t)
		b.Events = append(b.Events, evs...)
		b.Steps += len(evs)
		if err != nil {
			d.steps += b.Steps
			b.Now, b.Done = d.T.Now(), d.T.Done()
			return b, err
		}
	}
	return d.finish(b, false)
}
