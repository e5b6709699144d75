// Package executor is the kernel's COPS executor: the one loop that
// decides, at every trap, tick and idle moment of a hart, whether the hart
// runs a kernel coroutine or a user process, and which.
//
// # Vocabulary
//
//   - Kernel coroutine: a piece of kernel work with a priority, living in
//     the kernel's own Local (process slot 0): the console input driver,
//     the timer queue, the reaper of exited processes, system-call work
//     that has to wait. Its body is a Step: one bounded piece of work that
//     returns what to do next (Yield, Block, Exit), as a step function of
//     kernel/user/cops (SpawnStep), because the kernel has no stack to park a half-done
//     coroutine on.
//   - Scheduler coroutine: the thread (process) scheduler itself, a
//     KindKernelScheduler coroutine in the same Local. Its priority is, at
//     every decision, the best global priority of the user work the hart
//     may run; running it means placing that work on the hart. So kernel
//     work and user work compete in one place — the kernel Local's ready
//     queues — by one rule: priority, FIFO among equals (the COPS paper's
//     unification of kernel threads and coroutines). With no user work it
//     is Blocked and is woken when some appears.
//   - Process: a user process with its own Local, registered with AddProc;
//     the executor reads it only through sched's defensive reader.
//
// # Rejected designs
//
//   - Kernel work outside the scheduler (drivers polled in the main loop,
//     a separate run queue for kernel tasks): two orders to reason about,
//     and nothing tells whether the console driver beats a process at
//     priority 3. Here every piece of kernel work has a priority in the
//     same queues as the placement of user work.
//   - Letting the scheduler coroutine keep a fixed priority: then user work
//     at priority 1 waits behind a kernel coroutine at priority 5, or every
//     kernel coroutine worse than the fixed value starves under load. Its
//     priority follows the work it places.
//   - Recording every continuation of the same process after a system call
//     as a placement: three events per trap with no information. A
//     decision that leaves the hart's process where it is records nothing.
//   - Reading every Local at every decision: the cost of a decision grew
//     with the number of processes though most had not run since the
//     last one. A Local is read when its Seq moved, and all every 10 ms.
//
// # Protocol (Decide, once per trap, tick or idle wake-up of a hart)
//
//  1. With the Global lock: Collect and Sample every process whose Local's
//     Seq moved since its last valid reading — every process once per
//     ReadAllEvery (10 ms) —
//     (its events into the trace, its local priority into the global
//     array). Every operation on a Local records an event, so an unmoved
//     Seq means an unchanged priority; a scribble that leaves Seq alone
//     hurts only its process and is found within ReadAllEvery. A Fault
//     kills that process: it is taken off its hart, its slot freed, the
//     kernel's OnKill is called with a message naming it. Then the kernel
//     Local's own events are collected.
//  2. The user candidate: the process on this hart (if still runnable) or
//     the best other process the hart may run (HighestProcMask: best global
//     priority, least recently placed among equals). At a tick an equal
//     waiting process takes the hart (round robin); at a trap the current
//     one keeps it unless a strictly better one waits.
//  3. If the current process simply continues and no kernel coroutine is
//     ready at a better priority, return RunUser at once (no events).
//  4. Otherwise set the scheduler coroutine's priority to the candidate's
//     (wake it if there is one, block it if not) and Fetch the kernel
//     Local's best coroutine. If it is the scheduler coroutine: place the
//     candidate (RunOn, a CausePlace event), yield the scheduler coroutine,
//     return RunUser. (When no other kernel coroutine is ready at its
//     priority or better, the fetch and yield would leave the queues as
//     they are: the placement is then its CausePlace event alone.) If it is another kernel coroutine: take the hart's
//     process off (a CausePlace event with Arg NoProc), run the Step,
//     apply its Action (Yield/Block/Exit), return RunKernel — the caller
//     calls Decide again. Nothing ready: Idle.
//
// Every transition is an event in the kernel Local's ring or a process's
// ring, collected into the Global's trace with a global sequence number;
// losses are counted (Global.Lost for process rings, Global.Overflow for
// the trace ring). Drain hands them to the kernel's trace buffer.
//
// # Harts
//
// A Local has one current coroutine, so kernel coroutines run on one hart
// at a time: a hart that finds the kernel Local busy (another hart is in a
// Step) places user work directly. Our kernel runs one hart today.
package executor

import (
	"fmt"

	"copslab/sched"
)

// Action is what a kernel coroutine's Step asks for next.
type Action uint8

const (
	Yield Action = iota // run again later: back to the tail of its queue
	Block               // wait until Wake
	Exit                // done: the coroutine ends
)

// Step is a kernel coroutine's body: one bounded piece of work. now is the
// decision's timestamp (ns) and id the coroutine's own id.
type Step func(now uint64, id uint32) Action

// Reason says why the kernel calls Decide.
type Reason uint8

const (
	Trap   Reason = iota // a system call or fault of the hart's process: it keeps the hart against equals
	Tick                 // the timer tick: an equal waiting process takes the hart (round robin)
	Wakeup               // the hart was idle or ran kernel work
)

// Outcome of a decision.
type Outcome uint8

const (
	Idle      Outcome = iota // nothing to run: wait for an interrupt
	RunUser                  // return to process Decision.Proc on this hart
	RunKernel                // a kernel coroutine step ran; decide again
)

// Decision is what Decide did.
type Decision struct {
	Outcome Outcome
	Proc    uint16 // RunUser: the process to run
	Co      uint32 // RunKernel: the coroutine whose step ran
	Prio    uint8  // the priority that won (global priority of Proc, or Co's)
}

// Kill reports a process the executor killed.
type Kill struct {
	Proc uint16
	Msg  string
}

// DefaultReadAllEvery is ReadAllEvery of a new Executor: 10 ms.
const DefaultReadAllEvery = 10_000_000

// Executor is the kernel's COPS executor over one Global, the kernel's
// Local (slot 0) and the Locals of the registered processes.
type Executor struct {
	g       *sched.Global
	kl      *sched.Local
	procs   [sched.MaxProcs]*sched.Local
	threads [sched.MaxProcs]bool // registered without a Local
	// runnable is what the kernel says of each process's threads
	// (SetRunnable): gated says it said anything, run is the best
	// thread priority or Idle. Kernel memory, written by the kernel only.
	gated  [sched.MaxProcs]bool
	run    [sched.MaxProcs]uint8
	steps  [sched.LocalCos]Step
	rewake [sched.LocalCos]bool // woken while its step ran (kernel Local lock)
	// seen is the Seq of each Local's last valid reading (sched.NoSeq:
	// none) and lprio the local priority read then (sampleAll).
	seen  [sched.MaxProcs]uint64
	lprio [sched.MaxProcs]uint8
	live  uint64 // bit p: process slot p is registered (never bit 0, the kernel)
	// ReadAllEvery is the longest time (ns of the clock) between two
	// readings of a Local whose Seq has not moved (DefaultReadAllEvery;
	// 0: every decision reads every Local); readAll is when a decision
	// last read them all.
	ReadAllEvery uint64
	readAll      uint64
	sched        uint32 // the scheduler coroutine
	tag          uint32
	clock        func() uint64

	// OnKill is called (Global lock not held) for every process the
	// executor kills because its Local is corrupt; the kernel ends the
	// process there. Kills lists them too.
	OnKill func(Kill)
	Kills  []Kill
}

// New formats g and kl (the kernel's Local, slot 0), spawns the scheduler
// coroutine and returns the executor. clock returns the time in ns (mtime
// in the kernel) for event timestamps. g and kl stay where the caller put
// them: a debugger finds them through the kernel's symbols.
func New(g *sched.Global, kl *sched.Local, clock func() uint64) (*Executor, error) {
	g.Init()
	kl.Init(0)
	x := &Executor{g: g, kl: kl, tag: sched.LockTag(0, false), clock: clock, ReadAllEvery: DefaultReadAllEvery}
	x.procs[0] = kl
	for p := range x.seen {
		x.forget(uint16(p))
	}
	x.lockLocal()
	id, e := kl.Spawn(x.ctx(0), sched.KindKernelScheduler, sched.NumPrio-1, sched.NoWaker)
	x.unlockLocal()
	if e != sched.OK {
		return nil, fmt.Errorf("executor: spawning the scheduler coroutine: %w", e)
	}
	x.sched = id
	x.lockGlobal()
	x.g.Collect(0, kl, x.clock())
	x.g.Sample(0, kl)
	x.unlockGlobal()
	return x, nil
}

// Global returns the kernel's Global (tests, debug dumps).
func (x *Executor) Global() *sched.Global { return x.g }

// KernelLocal returns the kernel's Local (slot 0).
func (x *Executor) KernelLocal() *sched.Local { return x.kl }

// Scheduler returns the scheduler coroutine's id.
func (x *Executor) Scheduler() uint32 { return x.sched }

func (x *Executor) ctx(hart uint8) sched.Ctx { return sched.Ctx{Now: x.clock(), Hart: hart} }

// The kernel is the only user of these locks and runs one decision at a
// time per hart with interrupts off, so a failed spin is a bug.
const spinLimit = 1 << 20

func (x *Executor) lockGlobal() {
	if !x.g.SpinLock(x.tag, spinLimit) {
		panic("executor: Global lock stuck")
	}
}

func (x *Executor) unlockGlobal() { x.g.Unlock(x.tag) }

func (x *Executor) lockLocal() {
	if !x.kl.SpinLock(x.tag, spinLimit) {
		panic("executor: kernel Local lock stuck")
	}
}

func (x *Executor) unlockLocal() { x.kl.Unlock(x.tag) }

// Spawn creates a kernel coroutine of the given kind (KindKernelSyscall
// for system-call work, KindKernelScheduler is the executor's own) at
// priority prio running step. It may be called from a Step.
func (x *Executor) Spawn(kind sched.Kind, prio uint8, step Step) (uint32, error) {
	if kind == sched.KindUser || step == nil {
		return sched.NoCo, fmt.Errorf("executor: a kernel coroutine needs a kernel kind and a step")
	}
	x.lockLocal()
	id, e := x.kl.Spawn(x.ctx(0), kind, prio, sched.NoWaker)
	x.unlockLocal()
	if e != sched.OK {
		return sched.NoCo, fmt.Errorf("executor: spawn: %w", e)
	}
	x.steps[id&(sched.LocalCos-1)] = step
	return id, nil
}

// Wake makes a Blocked kernel coroutine Ready (an interrupt handler: the
// console driver on input, the timer queue at a deadline). cause is
// CauseWake, CauseTimer or CauseUintr; arg is recorded. A wake-up for a
// coroutine whose step is running is remembered: if the step then
// returns Block, it yields instead, so no wake-up is lost between its
// last look and its blocking. A Ready coroutine needs no wake-up (nil).
func (x *Executor) Wake(id uint32, cause sched.Cause, arg uint64) error {
	x.lockLocal()
	defer x.unlockLocal()
	switch st, e := x.kl.StateOf(id); {
	case e != sched.OK:
		return e
	case st == sched.Running:
		x.rewake[id&(sched.LocalCos-1)] = true
		return nil
	case st == sched.Ready:
		return nil
	}
	return x.kl.Wake(x.ctx(0), id, cause, sched.NoWaker, arg).Err()
}

// SetPrio changes a kernel coroutine's priority.
func (x *Executor) SetPrio(id uint32, prio uint8) error {
	x.lockLocal()
	e := x.kl.SetPrio(x.ctx(0), id, prio)
	x.unlockLocal()
	return e.Err()
}

// AddProc registers process slot proc with its Local l (the pages the
// kernel maps into the process), which it formats. With l == nil the
// process has no Local (its threads are all it runs): its local priority
// is what the kernel says with SetThreadPrio, Idle until then.
func (x *Executor) AddProc(proc uint16, l *sched.Local) error {
	if proc == 0 || proc >= sched.MaxProcs {
		return fmt.Errorf("executor: bad process slot %d", proc)
	}
	x.lockGlobal()
	defer x.unlockGlobal()
	if e := x.g.AddProc(proc); e != sched.OK {
		return fmt.Errorf("executor: add process %d: %w", proc, e)
	}
	x.threads[proc] = l == nil
	x.live |= 1 << proc
	x.forget(proc)
	if l != nil {
		l.Init(proc)
		x.procs[proc] = l
	}
	return nil
}

// SetThreadPrio gives a process without a Local its local priority: the
// best sched.PrioOfNice of its runnable threads, or sched.Idle when none
// can run (the kernel calls it when a thread blocks, wakes or changes its
// nice value).
func (x *Executor) SetThreadPrio(proc uint16, prio uint8) error {
	if proc >= sched.MaxProcs || !x.threads[proc] {
		return fmt.Errorf("executor: process %d is not a thread-only process", proc)
	}
	x.lockGlobal()
	defer x.unlockGlobal()
	return x.g.SetLocalPrio(proc, prio).Err()
}

// SetRunnable tells the executor about the threads of a process with a
// Local, for a kernel whose processes run coroutines on threads: prio is
// the best sched.PrioOfNice of its runnable threads, sched.Idle when none
// can run. From then on the process's global priority is its Local's
// (its best ready or running coroutine) when that is not Idle, else prio;
// and Idle whenever prio is Idle — a process with no runnable thread has
// nothing a hart could run, whatever its Local says. Such a process is
// not sampled until it can run again (a corruption of its Local is found
// then), but its new events are collected at each decision, so the
// trace has them when they happened. No lock: the array is the
// kernel's own, read by the next decision. For a process of threads only
// it is SetThreadPrio.
func (x *Executor) SetRunnable(proc uint16, prio uint8) error {
	if proc == 0 || proc >= sched.MaxProcs || (x.procs[proc] == nil && !x.threads[proc]) {
		return fmt.Errorf("executor: process %d not registered", proc)
	}
	if prio >= sched.NumPrio && prio != sched.Idle {
		return fmt.Errorf("executor: bad priority %d", prio)
	}
	if x.threads[proc] {
		return x.SetThreadPrio(proc, prio)
	}
	x.gated[proc], x.run[proc] = true, prio
	return nil
}

// KernelReady reports whether a kernel coroutine other than the
// scheduler coroutine is ready (a kernel loop that skips decisions while
// one thread runs alone asks this first).
func (x *Executor) KernelReady() bool {
	x.lockLocal()
	defer x.unlockLocal()
	return x.kernelWork() != sched.Idle
}

// Shutdown ends every kernel coroutine, the scheduler coroutine too (at
// power-off), with their real transitions: the blocked ones are woken,
// then each is fetched and exits. The events are collected for Drain.
func (x *Executor) Shutdown() {
	c := x.ctx(0)
	x.lockLocal()
	for i := range x.kl.Cos {
		cb := &x.kl.Cos[i]
		if cb.State == sched.Blocked {
			x.kl.Wake(c, cb.ID, sched.CauseWake, sched.NoWaker, 0)
		}
	}
	if cur := x.kl.Current(); cur != sched.NoCo {
		x.kl.Exit(c, cur)
	}
	for id, e := x.kl.Fetch(c); e == sched.OK; id, e = x.kl.Fetch(c) {
		x.kl.Exit(c, id)
		x.steps[id&(sched.LocalCos-1)] = nil
	}
	x.unlockLocal()
	x.lockGlobal()
	x.collectKernel(c.Now)
	x.unlockGlobal()
}

// RemoveProc forgets process slot proc (it exited; the reaper calls this).
// Events it recorded since the last decision are collected first.
func (x *Executor) RemoveProc(proc uint16) error {
	if proc == 0 || proc >= sched.MaxProcs || (x.procs[proc] == nil && !x.threads[proc]) {
		return fmt.Errorf("executor: process %d not registered", proc)
	}
	x.lockGlobal()
	defer x.unlockGlobal()
	if l := x.procs[proc]; l != nil {
		x.g.Collect(proc, l, x.clock())
	}
	x.drop(proc)
	return nil
}

// drop takes proc off its hart and frees its slot (Global lock held).
func (x *Executor) drop(proc uint16) {
	if h := x.g.Procs[proc].Hart; h != sched.NoHart {
		x.g.Leave(h)
	}
	x.g.SetUintr(proc, false)
	x.g.FreeProc(proc)
	x.procs[proc], x.threads[proc] = nil, false
	x.gated[proc], x.run[proc] = false, 0
	x.live &^= 1 << proc
	x.forget(proc)
}

// forget drops what was read from proc's Local: the next decision reads it.
func (x *Executor) forget(proc uint16) { x.seen[proc], x.lprio[proc] = sched.NoSeq, sched.Idle }

// SetUintr raises or clears proc's pending user interrupt (global priority
// boost to 0 until its handler has run).
func (x *Executor) SetUintr(proc uint16, pending bool) error {
	x.lockGlobal()
	defer x.unlockGlobal()
	return x.g.SetUintr(proc, pending).Err()
}

// Drain moves collected events into dst (oldest first).
func (x *Executor) Drain(dst []sched.Event) int {
	x.lockGlobal()
	defer x.unlockGlobal()
	n, _ := x.g.Drain(dst)
	return n
}

// Losses returns the events lost so far: overwritten in a process's or the
// kernel's ring before collection, and dropped from the full trace ring.
func (x *Executor) Losses() (beforeCollection, traceFull uint64) {
	x.lockGlobal()
	defer x.unlockGlobal()
	return x.g.Lost, x.g.Overflow
}
