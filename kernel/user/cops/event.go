package cops

import (
	"fmt"
	"sync/atomic"

	"copslab/sched"
)

// Event is a one-shot wake-up a coroutine can Await. A coroutine of the
// same executor fires it with Co.Notify (the trace shows CauseWake with
// that coroutine as waker); any goroutine fires it with Post (CauseUintr:
// from outside, as a user-interrupt handler would), which also wakes the
// executor if it sleeps in the kernel. A firing with no waiter is
// remembered: the next Await returns at once. Its fields are guarded by
// the Local's lock.
type Event struct {
	ex     *Executor
	waiter *Co
	fired  bool
}

// NewEvent returns an event for coroutines of ex.
func (ex *Executor) NewEvent() *Event { return &Event{ex: ex} }

// Await blocks the coroutine until ev fires (or returns at once if it
// already did), consuming the firing.
func (c *Co) Await(ev *Event) {
	c.mustHaveStack("Await", "cops.Await(ev)")
	if c.block(ev) {
		c.back = backBlocked
		c.yield(struct{}{})
	}
}

// block blocks c in the Local as a waiter of ev, unless ev has fired
// (then it consumes the firing and reports false).
func (c *Co) block(ev *Event) bool {
	ex := c.ex
	ex.lock()
	defer ex.unlock()
	if ev.ex != ex {
		panic(fmt.Sprintf("cops: coroutine %d awaits an event of another executor", c.id))
	}
	if ev.fired {
		ev.fired = false
		return false
	}
	if ev.waiter != nil {
		panic(fmt.Sprintf("cops: coroutine %d awaits an event coroutine %d already awaits", c.id, ev.waiter.id))
	}
	if e := ex.o.Block(ex.l, ex.ctx(), c.id, 0); e != sched.OK {
		panic(fmt.Sprintf("cops: blocking coroutine %d: %v", c.id, e))
	}
	ev.waiter = c
	return true
}

// Notify fires ev from coroutine c. An event of another executor is
// Posted instead (that executor may be asleep).
func (c *Co) Notify(ev *Event) error {
	if ev.ex != c.ex {
		return ev.Post()
	}
	return ev.fire(sched.CauseWake, c.id)
}

// Post fires ev from any goroutine and wakes the executor if it sleeps.
func (ev *Event) Post() error { return PostAll(ev) }

// PostAll fires events of one executor from any goroutine at once: one
// hold of the Local's lock, one wake-up of the executor — the way a
// user-interrupt handler drains its completion ring — so the executor
// finds all their waiters ready and runs the best first. (Posting them
// one by one may let the executor run between two Posts.)
func PostAll(evs ...*Event) error {
	if len(evs) == 0 {
		return nil
	}
	ex := evs[0].ex
	ex.lock()
	var err error
	for _, ev := range evs {
		if ev.ex != ex {
			err = fmt.Errorf("cops: PostAll: events of two executors")
			break
		}
		if e := ev.fireLocked(sched.CauseUintr, sched.NoCo); e != nil && err == nil {
			err = e
		}
	}
	ex.unlock()
	if atomic.SwapUint32(&ex.sleeping, 0) == 1 {
		futexWake(&ex.sleeping)
	}
	return err
}

// fire makes the waiter Ready in the Local, or remembers the firing.
func (ev *Event) fire(cause sched.Cause, waker uint32) error {
	ev.ex.lock()
	defer ev.ex.unlock()
	return ev.fireLocked(cause, waker)
}

// fireLocked is fire with the Local's lock held.
func (ev *Event) fireLocked(cause sched.Cause, waker uint32) error {
	ex := ev.ex
	w := ev.waiter
	if w == nil {
		ev.fired = true
		return nil
	}
	ev.waiter = nil
	return errnoErr("waking", ex.o.Wake(ex.l, ex.ctx(), w.id, cause, waker, 0))
}
