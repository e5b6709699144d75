package proc

import (
	"unsafe"

	"copslab/sched"
)

// Threads of a process. Every thread has its own TrapFrame; they share
// the Space. Its scheduling state belongs to the seam (sched.go): the
// fields below the TrapFrame are written only there.

// Thread is one thread of a process.
type Thread struct {
	TID int
	TF  TrapFrame
	// Nice is the thread's priority as on Linux: -20 (highest) to 19
	// (lowest), 0 by default; setpriority(PRIO_PROCESS, tid, nice).
	// Inside a process the lowest value runs first (strict priority).
	Nice int

	sig  sigState
	poll pollWait // epoll_pwait's arguments while it waits

	// Scheduling state (sched.go).
	proc       *Proc
	state      sched.State
	wait       Wait
	deadline   int64  // ns on the Env clock; 0 = none
	timeout    uint64 // result when the deadline passes
	list       *tlist // ready list or wait queue it is in
	prev, next *Thread
	timerIdx   int    // 1 + index in the timer heap; 0 = not in it
	timerSeq   uint64 // FIFO order among equal deadlines
	soft       int64  // with its process's timer slack: the deadline asked for (slack.go); 0 = none
	softIdx    int    // 1 + index in its process's slack heap; 0 = not in it

	// An async call's kernel coroutine (uintr.go): not a user thread.
	kernel bool
	krerun bool      // its wait ended in a call that runs again
	async  asyncCall // what it completes

	execWait bool // a user thread asleep on its receiver's Wake word with an async call in flight
}

// State is t's scheduling state.
func (t *Thread) State() sched.State { return t.state }

// Waiting says what a blocked thread waits for.
func (t *Thread) Waiting() Wait { return t.wait }

// Proc is the process t belongs to.
func (t *Thread) Proc() *Proc { return t.proc }

// level is t's ready-list index (nice -20 → 0).
func (t *Thread) level() int { return min(max(t.Nice, -20), 19) + 20 }

// live reports whether t has not exited.
func (t *Thread) live() bool { return t.state != sched.Exited }

// removeDead drops exited threads.
func (p *Proc) removeDead() {
	live := p.Threads[:0]
	for _, t := range p.Threads {
		if t.live() {
			live = append(live, t)
		}
	}
	clear(p.Threads[len(live):])
	p.Threads = live
}

// frameAddr is the address of t's saved registers, for the kernel's
// thread table (debuggers show a blocked thread's registers from it).
func (t *Thread) frameAddr() uintptr { return uintptr(unsafe.Pointer(&t.TF)) }
