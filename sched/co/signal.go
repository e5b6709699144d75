package co

import "copslab/sched"

// Signal is a one-shot wake-up a coroutine can Await. Notify wakes the
// waiter from the executor's goroutine (another coroutine: CauseWake with
// that coroutine as waker); Post does it from any goroutine, the way a
// user interrupt would (CauseUintr, applied by the executor). A Notify or
// Post with no waiter is remembered, so the next Await returns at once.
type Signal struct {
	ex     *Executor
	waiter *Co
	fired  bool
}

// NewSignal returns a signal for coroutines of ex.
func (ex *Executor) NewSignal() *Signal { return &Signal{ex: ex} }

// Await blocks the coroutine until s is notified (or returns at once if it
// already was), consuming the notification.
func (c *Co) Await(s *Signal) {
	if s.fired {
		s.fired = false
		return
	}
	s.waiter = c
	c.reason = sched.CauseBlock
	c.yield(struct{}{})
}

// Notify wakes s's waiter; call it from the executor's goroutine.
func (s *Signal) Notify() error {
	waker := sched.NoCo
	if s.ex.cur != nil {
		waker = s.ex.cur.id
	}
	ex := s.ex
	return ex.locked(func() sched.Errno { return s.wake(sched.CauseWake, waker) })
}

// wake makes the waiter Ready, or remembers the notification. The region
// lock must be held.
func (s *Signal) wake(cause sched.Cause, waker uint32) sched.Errno {
	w := s.waiter
	if w == nil {
		s.fired = true
		return sched.OK
	}
	s.waiter = nil
	return s.ex.reg.Wake(s.ex.ctx(), w.id, cause, waker, 0)
}

// Post wakes s's waiter from any goroutine: the executor applies it before
// its next fetch, as a user-interrupt handler would.
func (s *Signal) Post() {
	ex := s.ex
	ex.mu.Lock()
	ex.posted = append(ex.posted, s)
	ex.nposted.Add(1)
	ex.mu.Unlock()
	select {
	case ex.wakeup <- struct{}{}:
	default:
	}
}

// takePosts removes the pending Posts; Run applies them (CauseUintr) after
// settling the previous coroutine, under the region lock. ex.mu and the
// region lock are never held together.
func (ex *Executor) takePosts() []*Signal {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	posted := ex.posted
	ex.posted = nil
	ex.nposted.Store(0)
	return posted
}
