package proc

import (
	"unsafe"

	"copslab/kernel/ktrace"
	"copslab/sched"
)

// Threads and their scheduling inside one process.
//
// Every thread has its own TrapFrame; they share the Space. A thread is
// runnable, blocked (futex wait or sleep, each with an optional
// deadline), or exited. Pick chooses the next runnable thread round
// robin after the one that ran last, first waking threads whose
// deadline has passed. The kernel calls Pick after every trap and every
// interrupt, so a timer tick rotates the CPU among runnable threads.

// State of a thread.
type State int

const (
	Runnable State = iota
	FutexWait
	Sleeping
	PollWait // epoll_pwait
	ReadWait // read from the console with no input yet
	CondWait // until cond holds (pipes, children); the ecall runs again
	Dead
)

// Thread is one thread of a process.
type Thread struct {
	TID   int
	TF    TrapFrame
	State State
	// Nice is the thread's priority as on Linux: -20 (highest) to 19
	// (lowest), 0 by default; setpriority(PRIO_PROCESS, tid, nice).
	Nice int

	waitAddr uint64   // futex word (FutexWait)
	deadline int64    // ns on the Env clock; 0 = none
	poll     pollWait // PollWait's arguments
	cond     func() bool
	sig      sigState
}

// Block parks t until woken or until deadline (0: no deadline).
func (t *Thread) block(st State, addr uint64, deadline int64) {
	t.State, t.waitAddr, t.deadline = st, addr, deadline
	ktrace.Block(t.TID)
}

// waitFor parks t until cond holds, then runs its ecall again.
func (t *Thread) waitFor(cond func() bool) {
	t.State, t.cond = CondWait, cond
	t.TF.PC -= 4
	ktrace.Block(t.TID)
}

// wake makes t runnable with system call result r.
func (t *Thread) wake(r uint64) {
	t.State, t.waitAddr, t.deadline = Runnable, 0, 0
	t.TF.X[RegA0] = r
	ktrace.Wake(t.TID, sched.CauseWake)
}

// Pick returns the next thread to run. With none runnable it returns
// nil and the earliest deadline among the blocked threads (0: none
// has one, nobody will wake them).
func (p *Proc) Pick(now int64) (*Thread, int64) {
	earliest := int64(0)
	for _, t := range p.Threads {
		if t.State != FutexWait && t.State != Sleeping && t.State != PollWait || t.deadline == 0 {
			continue
		}
		if t.deadline <= now {
			ktrace.Wake(t.TID, sched.CauseTimer)
			if t.State == FutexWait {
				t.wake(timedOut)
			} else {
				t.wake(0)
			}
		} else if earliest == 0 || t.deadline < earliest {
			earliest = t.deadline
		}
	}
	if p.InputReady != nil && p.WaitingForInput() && p.InputReady() {
		for _, t := range p.Threads {
			if t.State == ReadWait {
				t.State = Runnable // re-executes its read
				ktrace.Wake(t.TID, sched.CauseWake)
			}
		}
	}
	for _, t := range p.Threads {
		if t.State == CondWait && t.cond() {
			t.State, t.cond = Runnable, nil
			ktrace.Wake(t.TID, sched.CauseWake)
		}
	}
	// Strict priority: the runnable thread with the lowest Nice runs;
	// among equals, round robin after the one that ran last.
	n := len(p.Threads)
	best := -1
	for i := 1; i <= n; i++ {
		k := (p.last + i) % n
		if t := p.Threads[k]; t.State == Runnable && (best < 0 || t.Nice < p.Threads[best].Nice) {
			best = k
		}
	}
	if best >= 0 {
		p.last = best
		return p.Threads[best], 0
	}
	return nil, earliest
}

// futexWake wakes up to n threads waiting on addr; it returns how many.
func (p *Proc) futexWake(addr uint64, n int) int {
	woken := 0
	for _, t := range p.Threads {
		if woken < n && t.State == FutexWait && t.waitAddr == addr {
			t.wake(0)
			woken++
		}
	}
	return woken
}

// removeDead drops exited threads (keeping the rotation position).
func (p *Proc) removeDead() {
	live := p.Threads[:0]
	for _, t := range p.Threads {
		if t.State != Dead {
			live = append(live, t)
		}
	}
	for i := len(live); i < len(p.Threads); i++ {
		p.Threads[i] = nil
	}
	p.Threads = live
	if len(live) > 0 {
		p.last %= len(live)
	}
}

// WaitingOnOthers reports whether a thread waits for something another
// process does (a pipe, a child).
func (p *Proc) WaitingOnOthers() bool {
	for _, t := range p.Threads {
		if t.State == CondWait {
			return true
		}
	}
	return false
}

// WaitingForInput reports whether a thread waits for console input.
func (p *Proc) WaitingForInput() bool {
	for _, t := range p.Threads {
		if t.State == ReadWait {
			return true
		}
	}
	return false
}

// frameAddr is the address of t's saved registers, for the kernel's
// thread table (debuggers show a blocked thread's registers from it).
func (t *Thread) frameAddr() uintptr { return uintptr(unsafe.Pointer(&t.TF)) }
