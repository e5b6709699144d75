package proc

import (
	"math/bits"

	"copslab/kernel/ktrace"
	"copslab/sched"
	"copslab/sched/executor"
)

// The scheduling seam: Sched owns every thread state change of the
// kernel. Nothing else writes a thread's state; system calls, the
// process lifecycle and the kernel's run loop call these operations.
//
// # Vocabulary (that of copslab/sched)
//
// A thread is Created, Ready, Running, Blocked or Exited (sched.State).
// The operations are the shared scheduler's:
//
//	spawn        Created → Ready     (a process's first thread, clone, fork, execve)
//	Next         Ready → Running     (sched.Fetch: the decision), after putting
//	             Running → Ready      the thread that ran last back (sched.Yield)
//	Block        Running → Blocked   (a wait reason, an optional deadline)
//	Wake         Blocked → Ready     (cause sched.CauseWake: another thread or
//	                                  process; CauseUintr: console input;
//	                                  CauseTimer: the deadline passed)
//	exit         * → Exited
//
// so the next step, running the shared scheduler at the heart of the
// kernel, replaces the bodies of these functions, not their callers.
//
// # Data structures, and why a decision costs the same with 1 or 1,000 blocked threads
//
//   - Ready threads sit in their process's ready lists, one FIFO per
//     nice level (40), with a bitmap of the non-empty levels: the best
//     thread is one count-trailing-zeros and one pop away. Strict
//     priority inside a process; FIFO among equals.
//   - Processes with ready threads sit in a ring (FIFO): the decision
//     takes the first, and puts it back at the tail if it still has
//     ready threads, so processes take turns at every trap and tick.
//   - Blocked threads are in a wait queue (WaitQ) that belongs to what
//     they wait for — a pipe, a process's children, a vfork child, a
//     futex word, an epoll instance, console input — and, with a
//     deadline, in one timer heap. Whoever changes the thing wakes the
//     queue; the decision only looks at the top of the heap. Nothing
//     scans blocked threads.
//
// # Waking: a result, or the call again
//
// A woken futex, sleep, epoll or vfork wait returns a result (Wake's r,
// or the timeout result given to Block). Reads of pipes and the console
// and wait4/waitid instead run the whole system call again (Block moves
// pc back to the ecall; see Wait.rerun): their work — copying the data
// that arrived, reaping the child — has to happen after the wake, and a
// second reader or waiter may have taken it first, in which case the call
// simply blocks again.
//
// # Deadlock and time limits
//
// A process whose live threads are all blocked on futexes or epoll with
// no deadline can never run again (only its own threads wake those), so
// the seam counts such "stuck" threads per process and ends the process
// at the next decision when all its threads are stuck. Threads waiting
// for input, pipes or children wait on others and are not stuck. A time
// limit (SetLimit) makes every later decision report Expired.

// Wait says what a blocked thread waits for.
type Wait uint8

const (
	NotWaiting Wait = iota
	WaitFutex       // a futex word: result 0, or -ETIMEDOUT at the deadline
	WaitSleep       // nanosleep: its deadline
	WaitPoll        // epoll_pwait: a watched file's change (result: events) or its timeout (0)
	WaitInput       // console input; the read runs again
	WaitPipe        // data or room in a pipe, or its other end closing; the call runs again
	WaitChild       // a child to end (wait4, waitid); the call runs again
	WaitVfork       // a vfork child to call execve or end: result its pid
	numWaits
)

var waitNames = [numWaits]string{"-", "futex", "sleep", "poll", "input", "pipe", "child", "vfork"}

func (w Wait) String() string {
	if w < numWaits {
		return waitNames[w]
	}
	return "Wait(?)"
}

// rerun reports whether the woken call runs again (see the essay).
func (w Wait) rerun() bool { return w == WaitInput || w == WaitPipe || w == WaitChild }

// internal reports whether only a thread of the same process can end
// the wait (it counts towards a deadlock when it has no deadline): an
// epoll wait only while its instance watches nothing but eventfds.
func (w Wait) internal() bool { return w == WaitFutex || w == WaitPoll }

// niceLevels is the number of nice values, -20..19.
const niceLevels = 40

// Sched is the scheduler of a set of processes (the kernel has one).
type Sched struct {
	ring   procRing  // processes with ready threads, in turn order
	cur    *Thread   // the thread Next returned last, while it is Running
	timers timerHeap // blocked threads with a deadline
	input  WaitQ     // threads reading the console
	// inputReady: console input may be waiting (epoll's view of it).
	inputReady bool
	limit      int64   // time limit (0: none)
	stuck      []*Proc // processes that may be deadlocked, checked by the next decision
	blocked    [numWaits]int
	why        executor.Reason    // for the executor's next decision: Tick after a preemption or sched_yield, else Trap
	timerCo    *executor.Driver   // with the executor: the timer-queue kernel coroutine
	timerX     *executor.Executor // the executor timerCo belongs to
	now        int64              // the time of the decision in progress
	kready     []*Thread          // kernel coroutines of async calls whose wait ended (uintr.go)
	asyncCo    uint32             // with the executor: the kernel-syscall coroutine that runs them
	asyncX     *executor.Executor // the executor asyncCo belongs to

	// Env is the machine the kernel coroutines of async calls run their
	// system calls against (nil: async calls are refused).
	Env Env

	// Trace, if set, sees every transition (the kernel's trace ring).
	Trace func(t *Thread, from, to sched.State, cause sched.Cause)
}

// Decision is what Next found.
type Decision struct {
	Thread  *Thread // run it; nil: nothing is ready
	Until   int64   // with no thread: the earliest deadline or the time limit (0: none)
	Input   bool    // with no thread: some thread waits for console input
	Expired bool    // the time limit has passed (nothing is handed out)
}

// procRing is a FIFO of processes; a process is in it at most once
// (Proc.queued) and may have lost its ready threads since it was pushed
// (Next skips it then).
type procRing struct {
	q    []*Proc
	head int
}

func (r *procRing) push(p *Proc) {
	p.queued = true
	r.q = append(r.q, p)
}

func (r *procRing) pop() *Proc {
	if r.head == len(r.q) {
		return nil
	}
	p := r.q[r.head]
	r.q[r.head] = nil
	r.head++
	if r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	} else if r.head >= 64 && 2*r.head >= len(r.q) {
		n := copy(r.q, r.q[r.head:])
		clear(r.q[n:])
		r.q, r.head = r.q[:n], 0
	}
	p.queued = false
	return p
}

// remove takes p out of the ring wherever it is (the executor chose it
// out of turn).
func (r *procRing) remove(p *Proc) {
	q := r.q[r.head:]
	n := 0
	for _, o := range q {
		if o != p {
			q[n] = o
			n++
		}
	}
	m := copy(r.q, q[:n])
	clear(r.q[m:])
	r.q, r.head = r.q[:m], 0
	p.queued = false
}

// trace is the one place that reports transitions: to the kernel's
// trace ring (ktrace, which keeps its own view of each thread and emits
// the yield or preemption of the thread before at the next fetch) and
// to the Trace hook.
func (s *Sched) trace(t *Thread, from, to sched.State, cause sched.Cause) {
	if t.kernel {
		return // an async call's kernel coroutine: its stages are uintr's (io-done, uintr-send)
	}
	switch cause {
	case sched.CauseSpawn:
		ktrace.Spawn(t.proc.PID, t.TID, t.Nice, t.proc.Name, t.frameAddr())
	case sched.CauseFetch:
		ktrace.Place(t.TID)
	case sched.CausePreempt:
		ktrace.Interrupted()
	case sched.CauseBlock:
		ktrace.Block(t.TID)
	case sched.CauseWake, sched.CauseUintr, sched.CauseTimer:
		ktrace.Wake(t.TID, cause)
	case sched.CauseExit:
		ktrace.Exit(t.TID)
	case sched.CauseSetPrio:
		ktrace.SetPrio(t.TID, t.Nice)
	}
	if s.Trace != nil {
		s.Trace(t, from, to, cause)
	}
}

// stuckWait reports whether t counts towards its process's deadlock.
func (t *Thread) stuckWait() bool {
	return t.state == sched.Blocked && t.wait.internal() && t.deadline == 0 && !(t.wait == WaitPoll && t.poll.external)
}

// detach takes t out of the list, heap and counters of its state.
func (s *Sched) detach(t *Thread) {
	p := t.proc
	switch t.state {
	case sched.Ready:
		if t.kernel {
			s.unkready(t)
			break
		}
		lv := t.level()
		l := &p.runq[lv]
		l.remove(t)
		if l.empty() {
			p.runBits &^= 1 << lv
		}
		p.nReady--
	case sched.Blocked:
		if t.stuckWait() {
			p.stuck--
		}
		if t.list != nil {
			t.list.remove(t)
		}
		s.delTimer(t)
		s.blocked[t.wait]--
		t.wait, t.deadline, t.execWait = NotWaiting, 0, false
	case sched.Running:
		if s.cur == t {
			s.cur = nil
		}
	}
}

// ready queues t at the tail of its level and its process in the ring.
func (s *Sched) ready(t *Thread) {
	if t.kernel {
		s.kernelReady(t)
		return
	}
	p := t.proc
	lv := t.level()
	p.runq[lv].push(t)
	p.runBits |= 1 << lv
	p.nReady++
	t.state = sched.Ready
	if !p.queued {
		s.ring.push(p)
	}
}

// spawn makes a new thread of p Ready (Created → Ready).
func (s *Sched) spawn(p *Proc, t *Thread) {
	t.proc = p
	p.live++
	s.ready(t)
	s.trace(t, sched.Created, sched.Ready, sched.CauseSpawn)
}

// Yield puts the Running thread t back at the tail of its level: cause
// sched.CauseYield, or sched.CausePreempt when an interrupt took the CPU.
// Next does it itself for the thread it handed out last.
func (s *Sched) Yield(t *Thread, cause sched.Cause) {
	if t.state != sched.Running {
		return
	}
	if cause == sched.CausePreempt {
		s.why = executor.Tick
	}
	s.detach(t)
	s.ready(t)
	s.trace(t, sched.Running, sched.Ready, cause)
}

// Block makes t wait for w: in q (nil: no queue, e.g. a plain sleep),
// until deadline (ns on the Env clock; 0: none), when timeout becomes
// its result. For a rerun wait, pc goes back to the ecall.
func (s *Sched) Block(t *Thread, q *WaitQ, w Wait, deadline int64, timeout uint64) {
	from := t.state
	s.detach(t)
	t.state, t.wait, t.deadline, t.timeout = sched.Blocked, w, deadline, timeout
	if q != nil {
		q.l.push(t)
	}
	if deadline != 0 {
		s.addTimer(t) // (with the process's slack: slack.go)
	}
	s.blocked[w]++
	if w.rerun() {
		t.TF.PC -= 4
	}
	if t.stuckWait() {
		t.proc.stuck++
		s.checkStuck(t.proc)
	}
	s.trace(t, from, sched.Blocked, sched.CauseBlock)
}

// Wake makes the Blocked thread t Ready with system call result r
// (ignored by rerun waits); false if t was not blocked.
func (s *Sched) Wake(t *Thread, cause sched.Cause, r uint64) bool {
	if t.state != sched.Blocked {
		return false
	}
	w := t.wait
	t.krerun = w.rerun()
	if t.execWait {
		t.proc.countExecWake(cause)
	}
	s.detach(t)
	if !w.rerun() {
		t.TF.X[RegA0] = r
	}
	s.ready(t)
	s.trace(t, sched.Blocked, sched.Ready, cause)
	return true
}

// WakeOne wakes the first thread of q; it returns it, or nil.
func (s *Sched) WakeOne(q *WaitQ, cause sched.Cause, r uint64) *Thread {
	t := q.l.head
	if t != nil {
		s.Wake(t, cause, r)
	}
	return t
}

// WakeAll wakes every thread of q; it returns how many.
func (s *Sched) WakeAll(q *WaitQ, cause sched.Cause, r uint64) int {
	n := 0
	for t := q.l.head; t != nil; t = q.l.head {
		s.Wake(t, cause, r)
		n++
	}
	return n
}

// WakeInput wakes the threads reading the console (the kernel calls it
// when input arrives); their reads run again. Epoll watches of the
// console are notified.
func (s *Sched) WakeInput() int {
	s.inputReady = true
	consoleFile.notify()
	return s.WakeAll(&s.input, sched.CauseUintr, 0)
}

// exit ends t (any state → Exited).
func (s *Sched) exit(t *Thread) {
	if t.state == sched.Exited {
		return
	}
	from := t.state
	s.detach(t)
	t.state = sched.Exited
	if p := t.proc; p != nil {
		p.live--
		s.checkStuck(p)
	}
	s.trace(t, from, sched.Exited, sched.CauseExit)
}

// setNice changes t's nice value; a Ready thread moves to its new level.
func (s *Sched) setNice(t *Thread, nice int) {
	if t.state == sched.Ready {
		s.detach(t)
		t.Nice = nice
		s.ready(t)
	} else {
		t.Nice = nice
	}
	s.trace(t, t.state, t.state, sched.CauseSetPrio)
}

// checkStuck remembers p for the next decision if every live thread of
// p is stuck.
func (s *Sched) checkStuck(p *Proc) {
	if p.live > 0 && p.stuck == p.live && p.nAsync == 0 && !p.suspect {
		p.suspect = true
		s.stuck = append(s.stuck, p)
	}
}

// SetLimit sets the time limit (0: none).
func (s *Sched) SetLimit(at int64) { s.limit = at }

// Blocked counts the threads blocked for w.
func (s *Sched) Blocked(w Wait) int { return s.blocked[w] }

// settle prepares a decision at time now: the thread handed out last
// goes back to its ready list, expired deadlines wake their threads,
// deadlocked processes end.
func (s *Sched) settle(now int64) {
	if c := s.cur; c != nil {
		s.Yield(c, sched.CauseYield)
	}
	s.now = now
	if t := s.timers.top(); t != nil && t.deadline <= now {
		if tq := s.timerQueue(); tq != nil {
			tq.Interrupt(0) // the timer-queue coroutine wakes the sleepers
		} else {
			s.expire(0)
		}
	}
	for len(s.stuck) > 0 {
		p := s.stuck[len(s.stuck)-1]
		s.stuck = s.stuck[:len(s.stuck)-1]
		p.suspect = false
		if !p.Exited && p.live > 0 && p.stuck == p.live && p.nAsync == 0 {
			p.Kill("every thread blocked with no timeout (deadlock)")
		}
	}
}

// timerQueue returns the timer-queue kernel coroutine of the kernel's
// executor (priority 1: after the console driver, before any process),
// spawning it on first use; nil without an executor.
func (s *Sched) timerQueue() *executor.Driver {
	if copsX == nil {
		return nil
	}
	if s.timerX != copsX {
		tq, err := copsX.NewDriver(1, s.expire)
		if err != nil {
			return nil // no kernel coroutine left: wake inline
		}
		s.timerCo, s.timerX = tq, copsX
	}
	return s.timerCo
}

// expire wakes every thread whose deadline has passed at the time of
// the decision in progress (the timer queue's work).
func (s *Sched) expire(uint64) {
	for t := s.timers.top(); t != nil && t.deadline <= s.now; t = s.timers.top() {
		s.Wake(t, sched.CauseTimer, t.timeout)
	}
}

// alone reports whether the running thread c is the only thing to do
// at time now: nothing else ready, no deadline due, no deadlock to
// handle, no time limit reached.
func (s *Sched) alone(c *Thread, now int64) bool {
	if c.state != sched.Running || c.proc.nReady > 0 || s.ring.head != len(s.ring.q) || len(s.stuck) > 0 || len(s.kready) > 0 || c.proc.softDue(now) {
		return false
	}
	if t := s.timers.top(); t != nil && t.deadline <= now {
		return false
	}
	if copsX != nil && copsX.KernelReady() {
		return false
	}
	return s.limit == 0 || now < s.limit
}

// fetch makes p's best ready thread Running (p must have one).
func (s *Sched) fetch(p *Proc) *Thread {
	s.fireSoft(p) // p is placed: its due timers with slack end now (slack.go)
	t := p.runq[bits.TrailingZeros64(p.runBits)].head
	s.detach(t)
	t.state = sched.Running
	s.cur = t
	p.lastRun = t
	if p.nReady > 0 && !p.queued {
		s.ring.push(p)
	}
	s.trace(t, sched.Ready, sched.Running, sched.CauseFetch)
	return t
}

// earliest is the time the next decision may change: the earliest
// deadline or the time limit (0: neither).
func (s *Sched) earliest() int64 {
	until := int64(0)
	if t := s.timers.top(); t != nil {
		until = t.deadline
	}
	if s.limit != 0 && (until == 0 || s.limit < until) {
		until = s.limit
	}
	return until
}

// Next decides what runs at time now: the best ready thread of the
// first process in turn. It touches only ready work and the top of the
// timer heap.
func (s *Sched) Next(now int64) Decision {
	if c := s.cur; c != nil && s.alone(c, now) {
		return Decision{Thread: c} // yield + fetch would hand it out again
	}
	s.settle(now)
	if s.limit != 0 && now >= s.limit {
		return Decision{Expired: true}
	}
	if s.asyncX == nil || s.asyncX != copsX {
		s.runKernel() // no executor: the async calls' kernel coroutines run inline, first
	}
	if p := s.pick(); p != nil {
		return Decision{Thread: s.fetch(p)}
	}
	return Decision{Until: s.earliest(), Input: s.blocked[WaitInput] > 0}
}

// LastRun is the thread of p that Next handed out last (nil: none yet).
func (p *Proc) LastRun() *Thread { return p.lastRun }
