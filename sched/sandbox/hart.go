package sandbox

import "copslab/sched"

// runHart spends one tick of hart h (step 3 of the tick, see tick.go).
func (s *Sim) runHart(h *hart) {
	if h.busy > 0 {
		h.busy--
		h.stats.Overhead += s.sc.TickNS
		return
	}
	if len(h.handled) > 0 {
		s.handlerDone(h)
	}
	if h.p != nil {
		h.ran++
		s.maybePreempt(h)
	}
	for n := 0; n < maxInstantPerTick && !s.done; n++ {
		if h.p == nil && !s.place(h) {
			h.stats.Idle += s.sc.TickNS
			return
		}
		if h.busy > 0 || s.handleUintr(h) {
			s.overheadTick(h)
			return
		}
		c := s.current(h)
		if c == nil && len(h.p.uintr) > 0 {
			h.stats.Idle += s.sc.TickNS // nothing to run until the interrupt is delivered
			return
		}
		if c == nil {
			s.reg.Leave(h.id)
			h.p = nil
			continue
		}
		if h.busy > 0 {
			s.overheadTick(h)
			return
		}
		if s.execute(h, c) {
			h.stats.Busy += s.sc.TickNS
			return
		}
	}
	h.stats.Busy += s.sc.TickNS
}

// overheadTick spends this tick on the overhead just charged to h.busy.
func (s *Sim) overheadTick(h *hart) {
	h.busy--
	h.stats.Overhead += s.sc.TickNS
}

// maybePreempt takes h's process off the hart when a better process waits,
// or when the quantum is over and an equally good one waits.
func (s *Sim) maybePreempt(h *hart) {
	cur := s.reg.ProcPrio[h.p.slot]
	_, best := s.reg.HighestProcMask(h.mask)
	if best == sched.Idle || !(best < cur || (h.ran >= s.sc.Quantum && best <= cur)) {
		return
	}
	c := s.ctx(h.id)
	if id := s.reg.Current(h.p.slot); id != sched.NoCo {
		if st, _ := s.reg.StateOf(id); st == sched.Running {
			s.check(s.reg.Suspend(c, id), "suspend")
		}
	}
	s.count.preempts++
	s.reg.Leave(h.id)
	h.p = nil
}

// place puts the best waiting process on h; false when there is none.
func (s *Sim) place(h *hart) bool {
	slot, prio := s.reg.HighestProcMask(h.mask)
	if prio == sched.Idle {
		return false
	}
	p := s.procs[slot]
	if !s.check(s.reg.RunOn(h.id, slot), "run %s on hart %d", p.name, h.id) {
		return false
	}
	h.p, h.ran = p, 0
	if h.last != p {
		s.count.procSwitches++
		h.busy = s.sc.Costs.ProcSwitch
	}
	h.last = p
	return true
}

// handleUintr starts the user-interrupt handler of h's process when raised
// interrupts are deliverable (their delivery latency has passed). The
// handler occupies the hart for the handler cost and wakes the coroutines
// at its end (handlerDone); with a zero cost it wakes them at once. It
// reports whether the handler now occupies the hart.
func (s *Sim) handleUintr(h *hart) bool {
	p := h.p
	n := 0
	for n < len(p.uintr) && p.uintr[n].at <= s.tick {
		n++
	}
	if n == 0 {
		return false
	}
	h.handled = append(h.handled[:0], p.uintr[:n]...)
	p.uintr = append(p.uintr[:0], p.uintr[n:]...)
	s.count.uintrs++
	_, _, h.busy = s.sc.UintrTicks()
	if h.busy == 0 {
		s.handlerDone(h)
	}
	return h.busy > 0
}

// handlerDone ends the handler running on h: each handled completion wakes
// its coroutine (CauseUintr), and the pending flag (the priority-0 boost)
// is cleared once no raised interrupt is left.
func (s *Sim) handlerDone(h *hart) {
	p := h.p
	c := s.ctx(h.id)
	for _, r := range h.handled {
		co := p.waiter[r.req]
		delete(p.waiter, r.req)
		if s.completeSubmitted(c, co, r.req) {
			continue
		}
		s.check(s.reg.Wake(c, co.id, sched.CauseUintr, sched.NoWaker, r.req), "uintr wake")
	}
	h.handled = h.handled[:0]
	if len(p.uintr) == 0 {
		s.check(s.reg.SetUintr(p.slot, false), "clear uintr")
	}
}

// current returns the coroutine h should run: the process's Suspended one
// (resumed) or its best ready one (fetched); nil when it has none.
func (s *Sim) current(h *hart) *coro {
	c := s.ctx(h.id)
	p := h.p
	if id := s.reg.Current(p.slot); id != sched.NoCo {
		if st, _ := s.reg.StateOf(id); st == sched.Suspended {
			s.check(s.reg.Resume(c, id), "resume")
		}
		return s.cos[id]
	}
	id, e := s.reg.Fetch(c, p.slot)
	if e == sched.ErrEmpty {
		return nil
	}
	if !s.check(e, "fetch in %s", p.name) {
		return nil
	}
	if p.lastCo != sched.NoCo && p.lastCo != id {
		s.count.coSwitches++
		h.busy = s.sc.Costs.CoSwitch
	}
	p.lastCo = id
	return s.cos[id]
}

// execute runs c's work for this tick. It reports whether the tick was
// used (compute); false when c blocked, yielded or exited without using it.
func (s *Sim) execute(h *hart, c *coro) bool {
	ctx := s.ctx(h.id)
	for n := 0; n < maxInstantPerTick; n++ {
		if c.step >= len(c.spec.Work) && s.endRequest(ctx, c) {
			return false
		}
		st := &c.spec.Work[c.step]
		switch st.Op {
		case OpCompute:
			if c.left == 0 {
				c.left = st.Ticks
			}
			if c.left--; c.left == 0 {
				c.step++
			}
			return true
		case OpIO:
			c.step++
			s.dev.nextReq++
			req := s.dev.nextReq
			s.check(s.reg.Mark(ctx, c.id, sched.CauseIOSubmit, sched.NoWaker, req), "io-submit")
			s.check(s.reg.Block(ctx, c.id, req), "block on io")
			kco := s.syscallStart(ctx, c, req)
			s.dev.io = insertPending(s.dev.io, pending{at: s.tick + st.Ticks, req: req, co: c, kco: kco})
			return false
		case OpSleep:
			c.step++
			s.check(s.reg.Block(ctx, c.id, 0), "block on sleep")
			s.dev.sleeps = insertPending(s.dev.sleeps, pending{at: s.tick + st.Ticks, co: c})
			return false
		case OpYield:
			c.step++
			s.check(s.reg.Yield(ctx, c.id), "yield")
			return false
		case OpWait, OpSignal, OpSubmit, OpAwait:
			if !s.syncStep(ctx, c, st) {
				return false
			}
		case OpSpawn:
			c.step++
			st := startReq{at: s.tick, ps: c.p.spec, p: c.p, spec: st.Spawn, waker: c.id}
			for i := 0; i < st.spec.instances(); i++ {
				s.spawn(st, i)
			}
		}
		if s.done {
			return false
		}
	}
	return true
}

// endRequest finishes one run of c's work list: records its latency and
// starts the next run, or exits c (returning true).
func (s *Sim) endRequest(ctx sched.Ctx, c *coro) bool {
	lat := (s.tick - c.iterStart) * s.sc.TickNS
	c.stats.Requests++
	c.stats.latSum += lat
	if lat > c.stats.MaxLatency {
		c.stats.MaxLatency = lat
	}
	c.iter++
	c.step, c.iterStart = 0, s.tick
	if c.iter < c.spec.Repeat {
		return false
	}
	s.check(s.reg.Exit(ctx, c.id), "exit %s", c.name)
	c.stats.Finished = s.Now()
	return true
}
