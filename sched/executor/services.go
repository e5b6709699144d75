package executor

import (
	"sync"

	"copslab/sched"
)

// The kernel's standing coroutines, built on Spawn/Wake so the kernel only
// wires them to its hardware: a driver woken by an interrupt, the timer
// queue woken by the tick, and the reaper woken when a process exits. Each
// is one kernel coroutine that blocks when it has nothing to do, so it
// costs nothing until woken and then competes by its priority like any
// other work.

// Driver is an interrupt-driven kernel coroutine (the console input
// driver: Interrupt from the UART's interrupt, the step drains the FIFO,
// echoes and hands bytes to readers).
type Driver struct {
	x       *Executor
	id      uint32
	started bool // its first run is over
	early   bool // interrupted before its first run
}

// NewDriver spawns a driver coroutine at prio; work runs once per wake-up
// (all interrupts since the last run), with the decision's time. Its
// first run, at once, only blocks it — unless it was interrupted before
// that run (a driver spawned when its first interrupt is already due):
// then that run does the work, so no interrupt is lost.
func (x *Executor) NewDriver(prio uint8, work func(now uint64)) (*Driver, error) {
	d := &Driver{x: x}
	id, err := x.Spawn(sched.KindKernelSyscall, prio, func(now uint64, _ uint32) Action {
		if d.started || d.early {
			work(now)
		}
		d.started, d.early = true, false
		return Block
	})
	if err != nil {
		return nil, err
	}
	d.id = id
	return d, nil
}

// ID is the driver coroutine's id.
func (d *Driver) ID() uint32 { return d.id }

// Interrupt makes the driver ready (from the interrupt handler). Several
// interrupts before it runs make one run; one while it runs makes it run
// again (Executor.Wake remembers it).
func (d *Driver) Interrupt(arg uint64) {
	if !d.started {
		d.early = true
	}
	d.x.Wake(d.id, sched.CauseWake, arg) // already Ready: one run serves both
}

// Timers is the timer queue: kernel coroutines sleeping until a deadline.
// The tick calls Tick; when a deadline is due the queue's coroutine wakes,
// and its step wakes every due sleeper (CauseTimer).
type Timers struct {
	x    *Executor
	id   uint32
	mu   sync.Mutex // guards heap: Sleep and Tick come from other contexts than step
	heap []timer    // min-heap by deadline
}

type timer struct {
	at uint64
	co uint32
}

// NewTimers spawns the timer-queue coroutine at prio.
func (x *Executor) NewTimers(prio uint8) (*Timers, error) {
	t := &Timers{x: x}
	id, err := x.Spawn(sched.KindKernelSyscall, prio, t.step)
	if err != nil {
		return nil, err
	}
	t.id = id
	return t, nil
}

// ID is the timer-queue coroutine's id.
func (t *Timers) ID() uint32 { return t.id }

// Sleep arranges for kernel coroutine co (which then returns Block from
// its step) to be woken at deadline at (ns).
func (t *Timers) Sleep(co uint32, at uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.heap = append(t.heap, timer{at, co})
	for i := len(t.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if t.heap[p].at <= t.heap[i].at {
			break
		}
		t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
		i = p
	}
}

// Next returns the earliest deadline, or 0 with nothing pending (the
// kernel programs the timer with it).
func (t *Timers) Next() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.heap) == 0 {
		return 0
	}
	return t.heap[0].at
}

// Tick is called by the timer interrupt: it wakes the queue's coroutine
// when the earliest deadline is due.
func (t *Timers) Tick(now uint64) {
	t.mu.Lock()
	due := len(t.heap) > 0 && t.heap[0].at <= now
	t.mu.Unlock()
	if due {
		t.x.Wake(t.id, sched.CauseTimer, now)
	}
}

func (t *Timers) step(now uint64, _ uint32) Action {
	t.mu.Lock()
	var due []uint32
	for len(t.heap) > 0 && t.heap[0].at <= now {
		due = append(due, t.heap[0].co)
		t.pop()
	}
	t.mu.Unlock()
	for _, co := range due {
		t.x.Wake(co, sched.CauseTimer, now) // a sleeper that exited meanwhile is ErrBadID: nothing to do
	}
	return Block
}

func (t *Timers) pop() {
	n := len(t.heap) - 1
	t.heap[0] = t.heap[n]
	t.heap = t.heap[:n]
	for i := 0; ; {
		l, s := 2*i+1, i
		if l < n && t.heap[l].at < t.heap[s].at {
			s = l
		}
		if r := l + 1; r < n && t.heap[r].at < t.heap[s].at {
			s = r
		}
		if s == i {
			return
		}
		t.heap[i], t.heap[s] = t.heap[s], t.heap[i]
		i = s
	}
}

// Reaper is the coroutine that ends exited processes: Exited queues a
// slot and wakes it; its step takes each queued process out of the
// scheduler (RemoveProc, collecting its last events) and calls release,
// where the kernel gives back its memory and tells its parent.
type Reaper struct {
	x       *Executor
	id      uint32
	mu      sync.Mutex // guards pending
	pending []uint16
	release func(proc uint16)
}

// NewReaper spawns the reaper coroutine at prio.
func (x *Executor) NewReaper(prio uint8, release func(proc uint16)) (*Reaper, error) {
	r := &Reaper{x: x, release: release}
	id, err := x.Spawn(sched.KindKernelSyscall, prio, r.step)
	if err != nil {
		return nil, err
	}
	r.id = id
	return r, nil
}

// ID is the reaper coroutine's id.
func (r *Reaper) ID() uint32 { return r.id }

// Exited queues process proc for reaping (from the exit system call or a
// kill) and wakes the reaper.
func (r *Reaper) Exited(proc uint16) {
	r.mu.Lock()
	r.pending = append(r.pending, proc)
	r.mu.Unlock()
	r.x.Wake(r.id, sched.CauseWake, uint64(proc))
}

func (r *Reaper) step(uint64, uint32) Action {
	r.mu.Lock()
	ps := append([]uint16(nil), r.pending...)
	r.pending = r.pending[:0]
	r.mu.Unlock()
	for _, p := range ps {
		r.x.RemoveProc(p) // not registered any more when the executor killed it: fine
		if r.release != nil {
			r.release(p)
		}
	}
	return Block
}
