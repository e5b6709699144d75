package proc

import (
	"math"

	"copslab/sched"
)

// Timer slack: a process may let the kernel end its threads' timed
// waits late, so that a process that waits for something else is not
// woken for its own housekeeping meanwhile.
//
// # Why
//
// A Go program is never quite asleep: its runtime's sysmon thread naps
// in short nanosleeps (20 µs, growing to 10 ms) until it sees every P
// idle, and on the way hands an idle P to a spinning thread (a futex
// wake) and preempts with signals. A process whose one coroutine waits
// for an async call (uintr.go) would be placed for each of those naps —
// about four times per wait, whatever its length — although nothing it
// cares about happened. With slack, those naps end when the process runs
// anyway (its interrupt, any other wake), or at their deadline plus the
// slack at the latest.
//
// # The rule (Linux's timer slack, kept per process)
//
// prctl(PR_SET_TIMERSLACK, ns) sets the slack, PR_GET_TIMERSLACK reads
// it; 0 sets it back to the default, which here is none (Linux: 50 µs):
// a process that does not ask waits exactly as before. A thread of a
// process with slack s that blocks with a deadline d (nanosleep, futex
// and epoll timeouts) is woken
//
//   - by what it waits for, as always;
//   - at d + s at the latest (the scheduler's timer heap holds d + s);
//   - at or after d, as soon as its process is placed anyway: whenever a
//     decision hands out (or keeps running) a thread of the process,
//     every thread of it whose d has passed is woken first (Sched.fireSoft,
//     from the process's own heap ordered by d: the top only).
//
// So a sleep never ends early, ends within its slack, and a process that
// runs (a goroutine computing, a trap, a tick) sees its due timers at the
// next decision that gives it the hart — no goroutine of it starves:
// the runtime's sysmon still preempts a busy program, one decision late.
// Only while the whole process sleeps are its due timers held back.
//
// # Where this differs from Linux
//
//   - Linux keeps slack per thread (inherited by the threads a thread
//     creates); here it is the process's, set by any of its threads: a
//     Go program cannot choose which thread runs its prctl, nor reach the
//     runtime's threads (sysmon), which matter most. fork copies it,
//     execve keeps it (as Linux does for the calling thread).
//   - Linux coalesces an expired soft timer with any timer interrupt of
//     the CPU; here with a placement of the same process, the event that
//     costs it something.
//   - The default is no slack (Linux: 50 µs), and the kernel coroutines
//     of async calls never have any: their deadline is the call's result.

// Linux's prctl options for timer slack.
const (
	prSetTimerSlack = 29
	prGetTimerSlack = 30
)

// timerSlack serves prctl's PR_SET_TIMERSLACK and PR_GET_TIMERSLACK;
// ok false for any other option.
func (c *call) timerSlack() (r uint64, ok bool) {
	switch c.a[0] {
	case prSetTimerSlack:
		c.p.slack = int64(min(c.a[1], math.MaxInt64))
		return 0, true
	case prGetTimerSlack:
		return uint64(c.p.slack), true
	}
	return 0, false
}

// TimerSlack is p's timer slack in ns (0: none).
func (p *Proc) TimerSlack() int64 { return p.slack }

// addTimer puts the blocked thread t, whose deadline is the one it asked
// for, in the timer heap: with its process's slack the heap holds the
// deadline plus slack, and the process's slack heap the one asked for.
func (s *Sched) addTimer(t *Thread) {
	p := t.proc
	if p == nil || p.slack == 0 || t.kernel {
		s.timers.add(t)
		return
	}
	t.soft = t.deadline
	t.deadline = satAdd(t.deadline, p.slack)
	s.timers.add(t)
	p.softq.soft = true
	p.softq.add(t)
}

// delTimer takes t out of the timer heaps.
func (s *Sched) delTimer(t *Thread) {
	s.timers.del(t)
	if t.softIdx != 0 {
		t.proc.softq.del(t)
	}
	t.soft = 0
}

// softDue reports whether a thread of p with slack is past the deadline
// it asked for at time now.
func (p *Proc) softDue(now int64) bool {
	t := p.softq.top()
	return t != nil && t.soft <= now
}

// fireSoft wakes p's threads with slack whose asked-for deadline has
// passed at the time of the decision in progress: p is being placed.
func (s *Sched) fireSoft(p *Proc) {
	for p.softDue(s.now) {
		t := p.softq.top()
		s.Wake(t, sched.CauseTimer, t.timeout)
	}
}

// satAdd is a+b for b ≥ 0, at most MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
