package lesson

import (
	"fmt"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/session"
)

// DefaultWithin bounds run_until when the step gives no within.
const DefaultWithin = 10_000_000 // 10 ms of target time

// maxRunEvents bounds run_to_end and the other runs, so a lesson on a
// run that never ends fails instead of hanging.
const maxRunEvents = 5_000_000

// Advance runs the action's step and run parts (not load, which the
// caller does by opening a new target) on d, from the goroutine that owns
// the target. The batch it returns ends with a snapshot.
func (a *Action) Advance(d *session.Driver) (session.Batch, error) {
	var out session.Batch
	add := func(b session.Batch, err error) error {
		out.Events = append(out.Events, b.Events...)
		out.Steps += b.Steps
		return err
	}
	var err error
	if a.Step > 0 {
		err = add(d.Step(a.Step))
	}
	switch {
	case err != nil:
	case a.RunFor != nil:
		err = add(d.RunUntil(d.T.Now()+uint64(*a.RunFor), maxRunEvents))
	case a.RunTo != nil:
		err = add(d.RunUntil(uint64(*a.RunTo), maxRunEvents))
	case a.RunToEnd:
		// RunUntil, not Step: a streaming target (the kernel) runs on its
		// own clock instead of halting at every decision.
		for !d.T.Done() && err == nil && len(out.Events) < maxRunEvents {
			err = add(d.RunUntil(^uint64(0), maxRunEvents-len(out.Events)))
		}
		if err == nil && !d.T.Done() {
			err = fmt.Errorf("the run did not end within %d events", maxRunEvents)
		}
	case a.RunUntil != nil:
		err = a.runUntil(d, &out)
	}
	s, serr := d.T.Snapshot()
	if err == nil {
		err = serr
	}
	out.Snap, out.Now, out.Done = s, d.T.Now(), d.T.Done()
	return out, err
}

// runUntil takes decisions until one produces an event matching
// a.RunUntil, the run ends, or the time bound passes.
func (a *Action) runUntil(d *session.Driver, out *session.Batch) error {
	within := uint64(DefaultWithin)
	if a.Within != nil {
		within = uint64(*a.Within)
	}
	limit := d.T.Now() + within
	e := &env{co: map[uint32]string{}, procs: map[uint16]string{}} // names only, learned from snapshots
	learn := func() error {
		s, err := d.T.Snapshot()
		if err == nil {
			e.fill(s)
		}
		return err
	}
	if err := learn(); err != nil {
		return err
	}
	for !d.T.Done() && d.T.Now() <= limit {
		b, err := d.Step(1)
		out.Events = append(out.Events, b.Events...)
		out.Steps += b.Steps
		if err != nil {
			return err
		}
		if len(b.Events) > 0 {
			if err := learn(); err != nil {
				return err
			}
		}
		for i := range b.Events {
			if e.match(a.RunUntil, &b.Events[i]) {
				return nil
			}
		}
	}
	return fmt.Errorf("run_until: no event (%s) within %s", a.RunUntil, Dur(within))
}

// fill learns names from a snapshot.
func (e *env) fill(s *model.Snapshot) {
	for _, c := range s.Cos {
		if c.Name != "" {
			e.co[c.ID] = c.Name
		}
	}
	for _, p := range s.Procs {
		if p.Name != "" {
			e.procs[p.ID] = p.Name
		}
	}
}

// isRun reports whether e puts a coroutine on a hart.
func isRun(e *sched.Event) bool { return e.To == sched.Running && e.From != sched.Running }
