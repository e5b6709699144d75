package model

import (
	"slices"

	"copslab/sched"
)

// Apply advances s by one trace event using the scheduler's rules (see the
// package comment). It never fails: an event that does not fit the state
// (e.g. after ring overflow) is applied as far as it makes sense, and the
// next keyframe from the target corrects the picture.
func (s *Snapshot) Apply(e *sched.Event) {
	s.Time, s.Seq = e.Time, e.Seq+1
	c := s.co(e.Co)
	c.Proc, c.Kind = e.Proc, e.Kind
	p := s.proc(e.Proc)
	oldPrio := c.Prio
	c.Prio = e.Prio
	switch e.Cause {
	case sched.CauseSetPrio:
		if c.State == sched.Ready && uint8(e.Arg) < sched.NumPrio {
			p.remove(uint8(e.Arg), c.ID)
			p.push(c.Prio, c.ID)
		}
	case sched.CauseUintrSend:
		p.raised = append(p.raised, e.Arg)
		p.UintrPending = true
	case sched.CauseIOSubmit, sched.CauseIODone, sched.CausePlace, sched.CauseUintrDeliver:
	default:
		s.transition(p, c, oldPrio, e)
	}
	s.refresh(p)
}

// transition moves c from e.From to e.To.
func (s *Snapshot) transition(p *ProcState, c *CoState, oldPrio uint8, e *sched.Event) {
	switch e.From {
	case sched.Ready:
		p.remove(oldPrio, c.ID)
	case sched.Running, sched.Suspended:
		if e.To != sched.Running && e.To != sched.Suspended {
			p.Current = sched.NoCo
		}
		if e.To != sched.Running {
			s.leaveHart(c.ID)
		}
	}
	switch e.To {
	case sched.Ready:
		p.push(c.Prio, c.ID)
	case sched.Running:
		p.Current = c.ID
		s.leaveHart(c.ID)
		h := s.hart(e.Hart)
		h.Proc, h.Co = c.Proc, c.ID
		c.Switches++
	}
	if e.Cause == sched.CauseUintr {
		p.handled(e.Arg)
	}
	if e.From != e.To {
		c.Since = e.Time
	}
	c.State = e.To
}

// leaveHart marks idle any hart that runs co.
func (s *Snapshot) leaveHart(co uint32) {
	for i := range s.Harts {
		if s.Harts[i].Co == co {
			s.Harts[i].Proc, s.Harts[i].Co = sched.NoProc, sched.NoCo
		}
	}
}

// refresh recomputes p's entry in the global priority array.
func (s *Snapshot) refresh(p *ProcState) {
	best := uint8(sched.Idle)
	for i, q := range p.Queues {
		if len(q) > 0 {
			best = uint8(i)
			break
		}
	}
	if cur := s.Co(p.Current); cur != nil && cur.Prio < best {
		best = cur.Prio
	}
	if p.UintrPending {
		best = 0
	}
	p.Prio = best
}

// handled records the handler's wake of request req: the request is no
// longer outstanding, and the pending flag (the priority-0 boost) ends
// when no raised request is left, as in the scheduler. A wake for a
// request the model never saw sent (lost events, or raised before a Sync)
// is ignored unless nothing is known to be outstanding, in which case the
// flag is cleared; the next snapshot from the target corrects either way.
func (p *ProcState) handled(req uint64) {
	if i := slices.Index(p.raised, req); i >= 0 {
		p.raised = slices.Delete(p.raised, i, i+1)
	}
	if len(p.raised) == 0 {
		p.raised = nil
		p.UintrPending = false
	}
}

func (p *ProcState) push(prio uint8, id uint32) {
	if prio < sched.NumPrio {
		p.Queues[prio] = append(p.Queues[prio], id)
	}
}

// remove deletes id from the queue at prio (or from any queue when it is
// not found there, which only happens after lost events).
func (p *ProcState) remove(prio uint8, id uint32) {
	if prio < sched.NumPrio {
		if i := slices.Index(p.Queues[prio], id); i >= 0 {
			p.Queues[prio] = slices.Delete(p.Queues[prio], i, i+1)
			return
		}
	}
	for q := range p.Queues {
		if i := slices.Index(p.Queues[q], id); i >= 0 {
			p.Queues[q] = slices.Delete(p.Queues[q], i, i+1)
			return
		}
	}
}
