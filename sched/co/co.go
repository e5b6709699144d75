// Package co runs Go functions as coroutines scheduled by package sched:
// Spawn(prio, func(*Co)) creates one, co.Yield gives the hart to the next
// ready coroutine, co.Await(sig) blocks until the signal is notified.
//
// # Design
//
// Each coroutine's body runs inside an iter.Pull iterator: the executor
// resumes it with next(), and the body comes back to the executor by
// calling the iterator's yield function. That is Go's runtime coroutine
// switch (runtime.coroswitch): a direct goroutine-to-goroutine handoff that
// never goes through the Go scheduler's run queues, so one switch costs
// about as much as a function call plus a stack swap (see README.md for
// the measured numbers against explicit state machines, channel handoffs
// and OS-thread switches).
//
// The alternative, explicit state machines (each coroutine a step function
// returning its next Action), is about 3× cheaper per switch through the
// same scheduler (BenchmarkCoStep vs BenchmarkCoYield) but turns every body
// inside out. We keep both: Spawn (iter.Pull) is the default, for bodies
// that Yield and Await in the middle of straight-line code; SpawnFunc
// (step.go) is for hot, simple coroutines. Both kinds mix in one executor.
//
// Every scheduling decision goes through the region: the executor is a
// process of a sched.Region, Spawn/Yield/Await/exit are the region's
// Spawn/Yield/Block/Exit, and the next coroutine is always the region's
// Fetch (best priority, FIFO within one). The trace ring therefore records
// the same events a kernel-driven process would.
//
// # Protocol (one turn of Run)
//
//  1. Drain Posts made from other goroutines and wake their waiters
//     (CauseUintr: this is where a user-interrupt handler would run).
//  2. Fetch the best ready coroutine; with none ready, return if nothing is
//     blocked, else wait for a Post.
//  3. Resume it (next()). It runs until it calls Yield or Await, or returns.
//  4. Apply the matching region transition: Yield, Block or Exit.
package co

import (
	"errors"
	"iter"
	"sync"
	"sync/atomic"

	"copslab/sched"
)

// Executor runs the coroutines of one process of a region on the calling
// goroutine. Its methods, except Signal.Post, must be called from that
// goroutine (from Run or from the coroutines themselves).
type Executor struct {
	reg   *sched.Region
	proc  uint16
	tag   uint32
	cos   [sched.LocalCos]*Co // by control-block slot
	cur   *Co
	live  int
	clock uint64

	mu      sync.Mutex // guards posted
	posted  []*Signal
	nposted atomic.Int32  // len(posted), read without mu
	wakeup  chan struct{} // one token: posts are waiting
}

// Co is a running coroutine, passed to its body.
type Co struct {
	ex     *Executor
	id     uint32
	next   func() (struct{}, bool) // iter.Pull coroutines
	stop   func()
	step   func(*Co) Action // step-function coroutines
	yield  func(struct{}) bool
	reason sched.Cause // why the body switched back: CauseYield or CauseBlock
	alive  bool        // the body has not returned
}

// New returns an executor with its own region, as process 1.
func New() *Executor {
	reg := new(sched.Region)
	reg.Init()
	ex, _ := NewIn(reg, 1)
	return ex
}

// NewIn returns an executor for process proc of reg, adding the process to
// the region.
func NewIn(reg *sched.Region, proc uint16) (*Executor, error) {
	ex := &Executor{reg: reg, proc: proc, tag: sched.LockTag(0, true), wakeup: make(chan struct{}, 1)}
	if err := ex.locked(func() sched.Errno { return reg.AddProc(proc) }); err != nil {
		return nil, err
	}
	return ex, nil
}

// Region returns the region the executor schedules in.
func (ex *Executor) Region() *sched.Region { return ex.reg }

// Proc returns the executor's process slot.
func (ex *Executor) Proc() uint16 { return ex.proc }

// locked runs f with the region lock held, the user-side way (TryLock and
// yield the processor, never spin).
func (ex *Executor) locked(f func() sched.Errno) error {
	ex.reg.LockYield(ex.tag)
	e := f()
	ex.reg.Unlock(ex.tag)
	return e.Err()
}

func (ex *Executor) ctx() sched.Ctx {
	ex.clock++
	return sched.Ctx{Now: ex.clock}
}

// Spawn creates a coroutine at priority prio running body. It starts when
// Run fetches it.
func (ex *Executor) Spawn(prio uint8, body func(*Co)) (*Co, error) {
	c, err := ex.spawn(prio)
	if err != nil {
		return nil, err
	}
	c.next, c.stop = iter.Pull(func(yield func(struct{}) bool) {
		c.yield = yield
		body(c)
	})
	return c, nil
}

// spawn creates the region's side of a coroutine.
func (ex *Executor) spawn(prio uint8) (*Co, error) {
	waker := sched.NoCo
	if ex.cur != nil {
		waker = ex.cur.id
	}
	var id uint32
	err := ex.locked(func() (e sched.Errno) {
		id, e = ex.reg.Spawn(ex.ctx(), ex.proc, sched.KindUser, prio, waker)
		return e
	})
	if err != nil {
		return nil, err
	}
	c := &Co{ex: ex, id: id}
	ex.cos[id&(sched.LocalCos-1)] = c
	ex.live++
	return c, nil
}

// ID returns the coroutine's id in the region.
func (c *Co) ID() uint32 { return c.id }

// Yield puts the coroutine at the tail of its priority's ready queue and
// runs the next one.
func (c *Co) Yield() {
	c.reason = sched.CauseYield
	c.yield(struct{}{})
}

// SetPrio changes the coroutine's priority.
func (c *Co) SetPrio(prio uint8) error {
	return c.ex.locked(func() sched.Errno { return c.ex.reg.SetPrio(c.ex.ctx(), c.id, prio) })
}

// ErrDeadlock is returned by Run when coroutines are blocked on signals and
// nothing can notify them (no Post is possible: see RunUntilIdle).
var ErrDeadlock = errors.New("co: all coroutines blocked")
