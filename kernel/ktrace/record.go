package ktrace

import (
	"sync"

	"copslab/sched"
)

// The recording side: the kernel calls these at its thread state changes.
// Each keeps the thread's traced state, so repeated or impossible calls
// record nothing and the trace always follows the sched state machine.

var (
	mu        sync.Mutex
	clock     func() uint64
	threads   = map[int]*thread{} // by thread id
	recent    [64]*thread         // direct-mapped cache of threads by tid%64: the map is the slow part of a switch
	cur       *thread             // the thread the run loop placed last, while Running
	preempted bool                // the hart was taken from cur by an interrupt
	lastTime  uint64              // time of the newest event recorded: no event is recorded older
)

type thread struct {
	tid   int
	pid   int
	prio  uint8
	state sched.State
	slot  int // index in Table, -1 if none
}

// SetClock sets the time source (ns since boot) of the events.
func SetClock(now func() uint64) {
	mu.Lock()
	clock = now
	Buf.init()
	Buf.Clock = 1
	mu.Unlock()
}

// Prio maps a nice value (-20 highest .. 19) to a sched priority 0..7.
func Prio(nice int) uint8 {
	return uint8((min(max(nice, -20), 19) + 20) / 5)
}

// emit records t's transition; mu is held.
func emit(t *thread, to sched.State, cause sched.Cause, waker uint32, arg uint64) {
	var now uint64
	if clock != nil {
		now = clock()
	}
	now = max(now, lastTime)
	lastTime = now
	Buf.put(sched.Event{Time: now, Co: uint32(t.tid), Waker: waker, Proc: uint16(t.pid),
		Prio: t.prio, From: t.state, To: to, Cause: cause, Kind: sched.KindUser, Arg: arg})
	t.state = to
	Table.update(t)
}

// Spawn records a new thread tid of process pid: Created → Ready. name is
// the process's name and frame the address of the thread's saved
// registers (kernel/proc.TrapFrame), both for the thread table.
func Spawn(pid, tid, nice int, name string, frame uintptr) {
	mu.Lock()
	defer mu.Unlock()
	if old := lookup(tid); old != nil && old.state != sched.Exited {
		exit(old)
	}
	t := &thread{tid: tid, pid: pid, prio: Prio(nice), state: sched.Created}
	threads[tid] = t
	Table.claim(t, name, frame)
	emit(t, sched.Ready, sched.CauseSpawn, sched.NoWaker, 0)
}

// Place records that the run loop runs tid next: the thread it ran
// before goes Running → Ready (preempt after an interrupt, else yield)
// and tid goes Ready → Running. Placing the running thread again records
// nothing.
func Place(tid int) {
	mu.Lock()
	place(tid)
	mu.Unlock()
}

func place(tid int) {
	t := lookup(tid)
	if t == nil || t == cur && t.state == sched.Running {
		preempted = false
		return
	}
	if cur != nil && cur.state == sched.Running {
		cause := sched.CauseYield
		if preempted {
			cause = sched.CausePreempt
		}
		emit(cur, sched.Ready, cause, sched.NoWaker, 0)
	}
	preempted = false
	if t.state == sched.Ready {
		emit(t, sched.Running, sched.CauseFetch, sched.NoWaker, 0)
		cur = t
	}
}

// Interrupted notes that the running thread lost the hart to an interrupt.
func Interrupted() {
	mu.Lock()
	preempted = true
	mu.Unlock()
}

// Block records that tid waits: Running (or Ready) → Blocked.
func Block(tid int) {
	mu.Lock()
	defer mu.Unlock()
	if t := lookup(tid); t != nil && (t.state == sched.Running || t.state == sched.Ready) {
		emit(t, sched.Blocked, sched.CauseBlock, sched.NoWaker, 0)
	}
}

// Wake records that tid can run again: Blocked → Ready. cause is
// sched.CauseWake (by the running thread, recorded as the waker) or
// sched.CauseTimer (a deadline passed).
func Wake(tid int, cause sched.Cause) {
	mu.Lock()
	defer mu.Unlock()
	t := lookup(tid)
	if t == nil || t.state != sched.Blocked {
		return
	}
	waker := sched.NoWaker
	if cause == sched.CauseWake && cur != nil && cur != t && cur.state == sched.Running {
		waker = uint32(cur.tid)
	}
	emit(t, sched.Ready, cause, waker, 0)
}

// Exit records that tid ended: its state → Exited.
func Exit(tid int) {
	mu.Lock()
	defer mu.Unlock()
	if t := lookup(tid); t != nil {
		exit(t)
	}
}

func exit(t *thread) {
	if t.state != sched.Exited {
		emit(t, sched.Exited, sched.CauseExit, sched.NoWaker, 0)
	}
	if cur == t {
		cur = nil
	}
	Table.free(t)
	delete(threads, t.tid)
	if c := &recent[t.tid&(len(recent)-1)]; *c == t {
		*c = nil
	}
}

// SetPrio records tid's new nice value (Arg = the old priority).
func SetPrio(tid, nice int) {
	mu.Lock()
	defer mu.Unlock()
	t := lookup(tid)
	if t == nil || Prio(nice) == t.prio {
		return
	}
	old := t.prio
	t.prio = Prio(nice)
	emit(t, t.state, sched.CauseSetPrio, sched.NoWaker, uint64(old))
}

// lookup finds tid's thread (nil if unknown); mu is held.
func lookup(tid int) *thread {
	c := &recent[tid&(len(recent)-1)]
	if t := *c; t != nil && t.tid == tid {
		return t
	}
	t := threads[tid]
	if t != nil {
		*c = t
	}
	return t
}
