package co

import (
	"copslab/sched"
)

// Run runs coroutines until none is left. When every remaining coroutine is
// blocked it waits for a Signal.Post from another goroutine.
func (ex *Executor) Run() error { return ex.run(true) }

// RunUntilIdle runs until no coroutine is ready; it returns ErrDeadlock if
// blocked coroutines remain and nil if none is left.
func (ex *Executor) RunUntilIdle() error { return ex.run(false) }

// run is the loop of the package comment's protocol. Steps 4 (settle the
// previous coroutine), 1 (posts) and 2 (fetch) share one lock hold, so a
// switch costs one lock round trip.
func (ex *Executor) run(wait bool) error {
	var prev *Co
	for {
		var posted []*Signal
		if ex.nposted.Load() > 0 {
			posted = ex.takePosts() // before the region lock: both locks are leaves
		}
		ex.reg.LockYield(ex.tag)
		err := ex.settle(prev)
		prev = nil
		if err != nil || ex.live == 0 {
			ex.reg.Unlock(ex.tag)
			return err
		}
		for _, s := range posted {
			s.wake(sched.CauseUintr, sched.NoCo)
		}
		id, e := ex.reg.Fetch(ex.ctx(), ex.proc)
		ex.reg.Unlock(ex.tag)
		switch e {
		case sched.OK:
		case sched.ErrEmpty:
			if !wait {
				return ErrDeadlock
			}
			<-ex.wakeup
			continue
		default:
			return e
		}
		prev = ex.cos[id&(sched.LocalCos-1)]
		ex.cur = prev
		prev.reason = 0
		if prev.step != nil {
			prev.alive = true
			prev.runStep()
		} else {
			_, prev.alive = prev.next()
		}
		ex.cur = nil
	}
}

// settle records in the region why c came back: it returned (Exit),
// awaited (Block) or yielded (Yield). The region lock must be held.
func (ex *Executor) settle(c *Co) error {
	switch {
	case c == nil:
		return nil
	case !c.alive:
		ex.cos[c.id&(sched.LocalCos-1)] = nil
		ex.live--
		if c.stop != nil {
			c.stop()
		}
		return ex.reg.Exit(ex.ctx(), c.id).Err()
	case c.reason == sched.CauseBlock:
		return ex.reg.Block(ex.ctx(), c.id, 0).Err()
	}
	return ex.reg.Yield(ex.ctx(), c.id).Err()
}
