package sandbox

import (
	"slices"

	"copslab/sched"
)

// Coroutine-to-coroutine wakeups and split I/O.
//
// wait/signal: a named event per scenario is a counting signal. "signal:
// e" wakes the oldest coroutine waiting on e (CauseWake, the signaller as
// Waker) or, when none waits, keeps the signal for the next "wait: e",
// which then does not block. Wakeups across processes are allowed, which
// is what a priority inversion needs: a high-priority coroutine waiting
// for a low-priority one.
//
// submit/await: "submit: N" starts an asynchronous I/O (io-submit marker,
// completion after N ticks, delivered by a user interrupt as for read)
// and goes on; "await" blocks until every submitted I/O has completed
// (Block's Arg is the oldest outstanding request). A completion whose
// coroutine is not blocked in await — it is still running between submit
// and await — is the handler/lock race of COPS: the handler interrupted
// the coroutine and cannot wake it. The correct handler records the
// completion, and await finds it and does not block. With the scenario's
// lost_wakeups the handler drops it instead: await blocks on a request
// that has already completed, and nothing will ever wake it.

// event is one named signal.
type event struct {
	count   int
	waiters []*coro
}

func (s *Sim) event(name string) *event {
	if s.events == nil {
		s.events = map[string]*event{}
	}
	e := s.events[name]
	if e == nil {
		e = &event{}
		s.events[name] = e
	}
	return e
}

// syncStep runs a wait, signal, submit or await step of c. It reports
// whether c goes on in this tick (false: c blocked).
func (s *Sim) syncStep(ctx sched.Ctx, c *coro, st *Step) bool {
	c.step++
	switch st.Op {
	case OpWait:
		e := s.event(st.Name)
		if e.count > 0 {
			e.count--
			return true
		}
		e.waiters = append(e.waiters, c)
		s.check(s.reg.Block(ctx, c.id, 0), "block on wait %s", st.Name)
		return false
	case OpSignal:
		e := s.event(st.Name)
		if len(e.waiters) == 0 {
			e.count++
			return true
		}
		w := e.waiters[0]
		e.waiters = e.waiters[1:]
		s.check(s.reg.Wake(ctx, w.id, sched.CauseWake, c.id, 0), "signal %s", st.Name)
		return true
	case OpSubmit:
		s.dev.nextReq++
		req := s.dev.nextReq
		s.check(s.reg.Mark(ctx, c.id, sched.CauseIOSubmit, sched.NoWaker, req), "io-submit")
		kco := s.syscallStart(ctx, c, req)
		s.dev.io = insertPending(s.dev.io, pending{at: s.tick + st.Ticks, req: req, co: c, kco: kco})
		c.submitted = append(c.submitted, req)
		return true
	case OpAwait:
		if len(c.submitted) == 0 {
			return true
		}
		c.awaiting = true
		s.check(s.reg.Block(ctx, c.id, c.submitted[0]), "await")
		return false
	}
	return true
}

// completeSubmitted delivers the completion of req to c when req was
// submitted (not read): it reports false for an ordinary read, which the
// handler wakes as before.
func (s *Sim) completeSubmitted(ctx sched.Ctx, c *coro, req uint64) bool {
	i := slices.Index(c.submitted, req)
	if i < 0 {
		return false
	}
	if !c.awaiting {
		if !s.sc.LostWakeups {
			c.submitted = slices.Delete(c.submitted, i, i+1) // recorded: await will not wait for it
		}
		return true // lost_wakeups: dropped, and await will wait for it for ever
	}
	c.submitted = slices.Delete(c.submitted, i, i+1)
	if len(c.submitted) == 0 {
		c.awaiting = false
		s.check(s.reg.Wake(ctx, c.id, sched.CauseUintr, sched.NoWaker, req), "uintr wake after await")
	}
	return true
}

// splitIOLine returns the line of the first submit or await step of p's
// coroutines (spawned ones included), or 0.
func (p *ProcSpec) splitIOLine() int {
	var walk func(cs []CoSpec) int
	walk = func(cs []CoSpec) int {
		for i := range cs {
			for _, st := range cs[i].Work {
				switch {
				case st.Op == OpSubmit || st.Op == OpAwait:
					return st.Line
				case st.Spawn != nil:
					if l := walk([]CoSpec{*st.Spawn}); l > 0 {
						return l
					}
				}
			}
		}
		return 0
	}
	return walk(p.Cos)
}
