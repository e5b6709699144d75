// Package cops runs coroutines in a program on the copslab kernel, on the
// process's own scheduler state (a sched.Local) and with the scheduler's
// machine code the kernel maps into every process (the vDSO):
//
//	ex, _ := cops.New()
//	ev := ex.NewEvent()
//	ex.Spawn(1, func(c *cops.Co) { c.Await(ev); fmt.Println("woken") })
//	ex.Spawn(5, func(c *cops.Co) { c.Yield(); c.Notify(ev) })
//	ex.Run()
//
// or, as in the paper, the scheduler first and main as its first
// coroutine: func main() { cops.Main(0, realMain) }.
//
// # Design
//
// The kernel and the program share one scheduler: its state is the
// process's Local (ready bitmap, one FIFO per priority, control blocks,
// lock, event ring) and its code is package sched compiled once into the
// vDSO. Every decision of this package's executor is a call of that code
// on that Local — Spawn, Fetch (best priority, FIFO within one), Yield,
// Block, Wake, SetPrio, Exit — through Go func values whose code word is
// the vDSO's address (ops.go). Because the Local is the very memory the
// kernel reads at each of its decisions, a coroutine's spawn, wake or
// priority change changes the process's global priority with no system
// call. Where the kernel maps no Local (AT_COPS_LOCAL absent) the Local
// lives in the program's own memory and everything works the same inside
// the program, but the kernel cannot see it; where there is no copslab
// vDSO (Linux, qemu-user) the program's own compiled copy of package sched
// runs instead. Executor.Source says which.
//
// A coroutine is a Go function. Spawn runs its body inside an iter.Pull
// iterator: the executor resumes it with next(), the body comes back by
// calling the iterator's yield (Go's runtime coroutine switch: a direct
// hand-off on the same thread, never through the Go scheduler's queues).
// SpawnStep takes a step function instead, called at each turn and
// returning what it wants next (Yield, Done, Await): no stack kept, so a
// switch is a plain call — the cheaper form, for hot simple coroutines.
// Both kinds mix in one executor.
//
// One turn of Run: take the Local's lock (TryLock; on failure yield the
// processor, never spin); if the coroutine that just came back yielded,
// Switch (its Yield and the next Fetch in one call), else settle it (Exit
// when its body returned; an Await already blocked it) and Fetch; drop
// the lock, resume the fetched one. With nothing ready and
// coroutines still blocked, the executor sleeps in the kernel: one futex
// wait on its own word, set while the lock was held. A waker (Event.Post,
// from any goroutine) wakes the coroutine in the Local under the lock,
// then clears the word and, if the executor slept, wakes it with one
// futex call. The lock orders the two, so no wake-up is lost: a Post
// before the Fetch is found by the Fetch, one after it sees the word.
//
// Awaiting blocks the coroutine in the Local before it switches away
// (under the lock, in the coroutine itself), so a Post from another
// thread can wake it the moment it is Blocked; the executor resumes it
// only after it has switched back, so a wake-up never catches a body
// still running.
//
// Rejected: goroutines and channels as coroutines (each switch goes
// through the Go scheduler, and the kernel's Local would not know their
// priorities); keeping the ready queues in Go and telling the kernel the
// best priority with a system call (a call per change, the cost the
// design exists to avoid); a new wait system call (the futex the runtime
// already uses does the job, see kernel/uabi/cops.go).
package cops

import (
	"fmt"
	"iter"
	"os"
	"runtime"
	"sync/atomic"

	"copslab/kernel/user/internal/hpm"
	"copslab/kernel/user/internal/schedops"
	"copslab/sched"
	"copslab/uintr"
)

// Executor runs the coroutines of one process. Its methods must be called
// from the goroutine that calls Run or from its coroutines, except
// Event.Post, which any goroutine may call.
type Executor struct {
	l      *sched.Local
	shared bool // l is the kernel's (AT_COPS_LOCAL): given back when Run ends with none left
	o      schedops.Ops
	src    string
	clk    clock

	cos  [sched.LocalCos]*Co // by control-block slot
	live int

	sleeping uint32 // futex word: 1 while the executor sleeps (wait.go)
	sleeps   atomic.Uint64

	canAsync  bool            // the kernel's Local and vDSO: a receiver can be registered (async.go)
	rcv       *uintr.Receiver // the process's receiver once registered, nil: none yet
	stack     []byte          // the handler's stack
	key       uint64          // the last async call's key
	slotWait  []*Co           // coroutines waiting for a free slot of the completion ring (async.go)
	slotWaits uint64          // how often one did
}

// Co is a coroutine, passed to its body.
type Co struct {
	ex     *Executor
	id     uint32
	prio   uint8
	next   func() (struct{}, bool) // Spawn (iter.Pull) coroutines
	stop   func()
	yield  func(struct{}) bool
	step   func(*Co) Action // SpawnStep coroutines
	back   uint8            // why it came back to the executor
	slotEv *Event           // fired when it may retry an async call the full ring refused (async.go)
}

// Why a coroutine came back to the executor.
const (
	backYield   uint8 = iota // Yield: still Running in the Local, the executor yields it
	backBlocked              // Await: already Blocked in the Local
	backDone                 // the body returned: the executor exits it
)

// New returns an executor on the process's Local: the one the kernel
// maps (AT_COPS_LOCAL), or else one in the program's own memory. The
// kernel's Local serves one executor at a time: New fails while another
// has it, until that one's Run has returned with no coroutine left.
func New() (*Executor, error) {
	l, where, shared, err := findLocal()
	if err != nil {
		return nil, err
	}
	o, code := vdsoOps()
	ex := &Executor{l: l, shared: shared, o: o, src: where + "; " + code}
	ex.clk.init(code == codeVDSO)
	ex.canAsync = shared && code == codeVDSO
	return ex, nil
}

// Source says where the Local is and whose scheduler code runs on it,
// e.g. "Local mapped by the kernel at 0x…; scheduler code in the vDSO".
func (ex *Executor) Source() string { return ex.src }

// Local returns the scheduler state the executor works on.
func (ex *Executor) Local() *sched.Local { return ex.l }

// Idle reports whether the executor is asleep in the kernel: no
// coroutine ready or running, every one left blocked. For other
// goroutines (a poster that wants its burst to find everyone waiting).
func (ex *Executor) Idle() bool { return atomic.LoadUint32(&ex.sleeping) == 1 }

// Sleeps returns how often the executor has waited in the kernel.
func (ex *Executor) Sleeps() uint64 { return ex.sleeps.Load() }

// lockTag is the executor's owner tag on the Local's lock word,
// sched.LockTag(0, true) (a user, hart unknown), as a constant so the
// inlined TryLock needs no load and no check for tag 0 (cops_test.go
// checks the two agree).
const lockTag = 0x101

// lock takes the Local's lock the user-side way: TryLock, and on failure
// yield the processor, never spin. The lock is one atomic instruction on
// the Local's lock word, so the executor uses its own inlined copy of
// sched's TryLock (the same source as the vDSO's) rather than a call
// into the vDSO that would cost more than the lock itself.
func (ex *Executor) lock() {
	if !ex.l.TryLock(lockTag) {
		ex.lockSlow()
	}
}

func (ex *Executor) lockSlow() {
	for !ex.l.TryLock(lockTag) {
		runtime.Gosched()
	}
}

// unlock releases the lock this executor's goroutine holds: one release
// store (an AMO with aq+rl on riscv64, after every store of the critical
// section, as the kernel's reader needs: sched/sample.go), not sched's
// Unlock, whose compare-and-swap checks an owner we know. With a
// receiver it releases as uintr's protocol does (R1–R4: it drains the
// records a deferred handler left; async.go).
func (ex *Executor) unlock() {
	if ex.rcv != nil {
		ex.rcv.Unlock(ex.l, ex.ctx(), lockTag)
		return
	}
	atomic.StoreUint32(&ex.l.Lock, 0)
}

func (ex *Executor) ctx() sched.Ctx { return sched.Ctx{Now: ex.clk.now()} }

// Spawn creates a coroutine at priority prio (0 highest … 7) running
// body; it exits when body returns. It starts when Run fetches it.
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

// spawn creates the Local's side of a coroutine.
func (ex *Executor) spawn(prio uint8) (*Co, error) {
	ex.lock()
	waker := ex.l.Current() // the spawning coroutine, or none (before Run)
	id, e := ex.o.Spawn(ex.l, ex.ctx(), sched.KindUser, prio, waker)
	ex.unlock()
	if e != sched.OK {
		return nil, fmt.Errorf("cops: spawn at priority %d: %w", prio, e)
	}
	c := &Co{ex: ex, id: id, prio: prio}
	ex.cos[id&(sched.LocalCos-1)] = c
	ex.live++
	return c, nil
}

// ID returns the coroutine's id (as in the trace).
func (c *Co) ID() uint32 { return c.id }

// Prio returns the coroutine's priority.
func (c *Co) Prio() uint8 { return c.prio }

// Yield puts the coroutine at the tail of its priority's ready queue and
// runs the best ready one (itself again if nothing better or equal is
// ready).
func (c *Co) Yield() {
	c.mustHaveStack("Yield", "cops.Yield")
	c.back = backYield
	c.yield(struct{}{})
}

// mustHaveStack panics with a clear message when a step-function
// coroutine calls a method that needs a stack to come back to.
func (c *Co) mustHaveStack(method, instead string) {
	if c.step != nil {
		panic(fmt.Sprintf("cops: coroutine %d is a step function: it cannot call %s, it returns %s", c.id, method, instead))
	}
}

// SetPrio changes a coroutine's priority (its own or another's of the
// same executor). It is a write into the Local: the kernel sees the new
// global priority at its next decision, with no system call.
func (c *Co) SetPrio(prio uint8) error {
	ex := c.ex
	ex.lock()
	e := ex.o.SetPrio(ex.l, ex.ctx(), c.id, prio)
	ex.unlock()
	if e != sched.OK {
		return fmt.Errorf("cops: priority %d for coroutine %d: %w", prio, c.id, e)
	}
	c.prio = prio
	return nil
}

// Run runs coroutines until none is left. With none ready and some
// blocked it sleeps in the kernel until an Event.Post wakes one — for
// good, if no other goroutine is left to post (the Go runtime's deadlock
// detector does not see a thread asleep in a system call).
//
// The loop is the coroutine switch, so its common path — take the lock,
// read the clock, Switch, release, call a step function that yields
// again — is written out here rather than in helpers the compiler would
// not inline (each call would add a frame's worth of instructions).
func (ex *Executor) Run() error {
	var prev *Co
	for {
		if !ex.l.TryLock(lockTag) { // ex.lock(), inlined
			ex.lockSlow()
		}
		ctx := sched.Ctx{Now: ex.clk.nsPerTick} // one time stamp for both events of the switch: ex.clk.now(), inlined
		if ctx.Now != 0 {
			ctx.Now *= hpm.Time()
		} else {
			ctx.Now = ex.clk.goNow()
		}
		var id uint32
		var e sched.Errno
		if prev != nil && prev.back == backYield {
			id, e = ex.o.Switch(ex.l, ctx, prev.id) // Yield + Fetch in one call
		} else {
			if e = ex.settle(ctx, prev); e != sched.OK || ex.live == 0 {
				ex.unlock()
				if e == sched.OK && ex.shared {
					ex.shared = false
					kernelLocalBusy.Store(false)
				}
				return errnoErr("settling a coroutine", e)
			}
			id, e = ex.o.Fetch(ex.l, ctx)
		}
		if e != sched.OK {
			if e = ex.noneReady(e); e != sched.OK {
				return errnoErr("fetching", e)
			}
			prev = nil
			continue
		}
		if ex.rcv != nil { // ex.unlock(), inlined
			ex.rcv.Unlock(ex.l, ctx, lockTag)
		} else {
			atomic.StoreUint32(&ex.l.Lock, 0)
		}
		c := ex.cos[id&(sched.LocalCos-1)]
		c.back = backYield
		if c.step != nil {
			if a := c.step(c); a.kind != actYield {
				c.stepBack(a)
			}
		} else if _, ok := c.next(); !ok {
			c.back = backDone
		}
		prev = c
	}
}

// noneReady handles a failed Fetch or Switch, the lock held: with
// nothing ready (ErrEmpty) the executor sleeps in the kernel until a
// Post wakes it and returns OK to look again; any other error is
// returned. The lock is released either way.
func (ex *Executor) noneReady(e sched.Errno) sched.Errno {
	if e != sched.ErrEmpty {
		ex.unlock()
		return e
	}
	atomic.StoreUint32(&ex.sleeping, 1) // under the lock: see the package comment
	drained := ex.drained()
	ex.unlock()
	if ex.drained() != drained { // the release woke coroutines (async.go): look again
		atomic.StoreUint32(&ex.sleeping, 0)
		return sched.OK
	}
	ex.sleeps.Add(1)
	futexWait(&ex.sleeping)
	return sched.OK
}

// settle tells the Local that c came back without yielding (a yield is
// settled by Switch): it exited, or it is already Blocked. The lock
// must be held.
func (ex *Executor) settle(ctx sched.Ctx, c *Co) sched.Errno {
	if c == nil || c.back != backDone {
		return sched.OK
	}
	ex.cos[c.id&(sched.LocalCos-1)] = nil
	ex.live--
	if c.stop != nil {
		c.stop()
	}
	return ex.o.Exit(ex.l, ctx, c.id)
}

func errnoErr(what string, e sched.Errno) error {
	if e == sched.OK {
		return nil
	}
	return fmt.Errorf("cops: %s: %w", what, e)
}

// Main is the paper's compatibility mode: the scheduler is initialised
// first and main runs as its first coroutine (at priority prio), so the
// program is in a fully asynchronous environment from main's first line.
// A program's main is one line, func main() { cops.Main(0, realMain) };
// realMain may spawn, await and yield like any coroutine. Main exits the
// process when no coroutine is left: status 0, or 1 after printing the
// error if the scheduler failed.
func Main(prio uint8, main func(*Co)) {
	ex, err := New()
	if err == nil {
		_, err = ex.Spawn(prio, main)
	}
	if err == nil {
		err = ex.Run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Executor returns the executor running c.
func (c *Co) Executor() *Executor { return c.ex }
