package uintr

// The handler and the scheduler lock
//
// The problem. A process's coroutines are scheduled by operations on its
// sched.Local, each made with the Local's lock held. The user-interrupt
// handler must wake coroutines in that same Local (sched.(*Local).Wake,
// cause uintr) — but the interrupt can arrive at any instruction,
// including while the interrupted code holds the lock. The handler runs on
// the interrupted hart, so it cannot wait for the lock: the holder cannot
// run until the handler returns (deadlock). It cannot skip the work
// either, or a wakeup is lost: the coroutine stays Blocked although its
// I/O is done, and no second interrupt comes for that record.
//
// The protocol. Completion records sit in the receiver's ring; only the
// holder of the Local's lock may drain them (advance Head and wake), so a
// record is consumed exactly once. One extra word, Deferred, tells the
// lock holder that a handler came while it held the lock.
//
// Handler (runs with further user interrupts off; never waits):
//
//	H1. TryLock the Local. Taken → R1.
//	H2. Store Deferred = 1: "records are waiting for whoever holds the lock".
//	H3. TryLock again. Taken → R1. Failed → return (uiret); the holder
//	    will see Deferred at its R1 or R4.
//
// Release — how every lock holder (the handler included) lets go; the
// user executor calls Unlock instead of sched.(*Local).Unlock:
//
//	R1. Store Deferred = 0 (the drain below covers whatever set it).
//	R2. Drain: while Head ≠ Tail, take the record at Head, leave its
//	    result in Done[slot], Wake its coroutine (cause uintr, arg = key),
//	    advance Head. (A record whose coroutine is not Blocked is counted
//	    in Stray and dropped: with the submit rule below it cannot happen
//	    unless the process scribbled on its own state.)
//	R3. Unlock the Local.
//	R4. Load Deferred. 0 → done. 1 → TryLock: taken → R1; failed → done
//	    (the new holder will run R1 itself).
//
// Kernel — how a completion arrives (any hart, the kernel's lock held;
// recv.go and the back ends):
//
//	K1. Write the record into the slot at the kernel's own tail.
//	K2. Publish Tail = tail + 1.
//	K3. Set the pending bit (post), so a handler will run.
//
// Submit — how a coroutine makes an async call, so its wakeup cannot come
// before it is Blocked:
//
//	S1. Lock the Local (the coroutine is Running).
//	S2. Mark io-submit; make the async system call (returns at once).
//	S3. Block the coroutine (arg = key).
//	S4. Release (R1–R4).
//
// Why nothing is lost. A record the kernel publishes (K2, then K3) is
// followed by a handler run (the kernel keeps the bit pending until it
// delivers). That handler either takes the lock and drains (H1/H3 → R2),
// or fails H3 — only if some holder has the lock at H3, after H2 stored
// Deferred = 1. That holder still has R1..R4 ahead of it, or at least
// R2..R4. If its R1 comes after H2, its R2 comes later still and drains
// the record (published before the handler ran). Otherwise Deferred = 1
// is there at its R4 unless another holder took the lock in between and
// ran R1 — which is after H2, so that one's R2 drains it. At R4 the holder
// tries the lock again: taken → R1, R2 drain; failed → the new holder
// took it after H2 and drains at its R2. Either way some lock holder
// drains after the record was published. The one Blocked state that
// could miss its wake — a record arriving before Block — is ruled out by
// S1–S4: the drain needs the lock the submitter holds until after S3.
//
// Why nothing is duplicated. Head advances only under the lock, one
// record per Wake; the kernel never reuses a slot before Head passed it
// (emu.go counts records in flight against RingRecs).
//
// Why nothing deadlocks. No step waits: the handler and R4 only TryLock.
//
// protocol_test.go checks this by exhaustive interleaving of every step
// (each step makes exactly one access to a word another party writes) of
// an executor, its handler and the kernel on another hart, and by a
// randomized stress; the step functions below are the code that runs.
//
// In the guest, kernel/uintr_lock_test.go runs this code as the cops
// executor runs it, with the kernel's emulation delivering at a 10 kHz
// tick: QEMU's gdb stub traces the lock window (778 distinct pcs from
// the instruction after the TryLock to the release, the vDSO's Switch,
// Fetch, Mark and Block included) and the kernel logs where each
// delivery landed. Measured: 38,686 deliveries found the executor
// holding the lock, at 377 of the 778 pcs (48%); 40,677 async calls,
// each completed and drained once, none stray, no deadlock. The
// benchmark, 150,000 reads: all 778 pcs hit (1,355,877 deliveries inside
// the window), 1,413,522 async calls, none lost or stray. The exhaustive
// search is what covers every interleaving; the guest run shows the real
// code surviving an interrupt at every instruction of its window.
//
// Every function here is nosplit and refers only to this list and
// sched's hot path (hotPath in vdso_rules_test.go): they go into the
// vDSO image beside the scheduler.

import (
	"sync/atomic"

	"copslab/sched"
)

// Step names one step of the protocol above (the step machine's state).
type Step uint8

const (
	StepDone Step = iota
	StepH1        // first TryLock
	StepH2        // set Deferred
	StepH3        // second TryLock
	StepR1        // claim Deferred
	StepR2        // drain one record (repeats while any are left)
	StepR3        // unlock
	StepR4        // recheck Deferred
)

// Next runs one step of the handler or of Release on receiver r and
// Local l (lock tag tag) and returns the next one. Each step makes one
// access to a word that the kernel or an interrupting handler also
// touches (Deferred, the lock word, Tail/Head), so running steps one at a
// time in any order covers every interleaving that matters.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func (r *Receiver) Next(l *sched.Local, c sched.Ctx, tag uint32, s Step) Step {
	if s == StepH1 || s == StepH3 {
		if l.TryLock(tag) {
			return StepR1
		}
		if s == StepH1 {
			return StepH2
		}
		return StepDone
	}
	if s == StepH2 {
		atomic.StoreUint32(&r.Deferred, 1)
		return StepH3
	}
	if s == StepR1 {
		atomic.StoreUint32(&r.Deferred, 0)
		return StepR2
	}
	if s == StepR2 {
		if r.drainOne(l, c) {
			return StepR2
		}
		return StepR3
	}
	if s == StepR3 {
		l.Unlock(tag)
		return StepR4
	}
	if s == StepR4 {
		if atomic.LoadUint32(&r.Deferred) != 0 {
			return StepH3
		}
	}
	return StepDone
}

// drainOne consumes the record at Head, if any (the lock is held).
//
// nosplit: vDSO hot path.
//
//go:nosplit
func (r *Receiver) drainOne(l *sched.Local, c sched.Ctx) bool {
	head := atomic.LoadUint64(&r.Head)
	tail := atomic.LoadUint64(&r.Tail)
	if head == tail {
		return false
	}
	if tail-head > RingRecs {
		// Tail or Head was scribbled on: nothing here can be trusted.
		// Skip to the tail; the kernel judges the process by its own
		// copy of the tail (emu.go).
		atomic.StoreUint64(&r.Head, tail)
		r.Stray++
		return false
	}
	rec := &r.Recs[head&(RingRecs-1)]
	co := rec.Co
	d := &r.Done[co&(localCos-1)]
	d.Key, d.Result = rec.Key, rec.Result
	if l.Wake(c, co, sched.CauseUintr, sched.NoWaker, rec.Key) != sched.OK {
		r.Stray++
	}
	r.Drained++
	atomic.StoreUint64(&r.Head, head+1)
	return true
}

// Handle is the body of a user-interrupt handler: steps H1..R4. It never
// waits; whatever it cannot drain now the lock holder drains.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func (r *Receiver) Handle(l *sched.Local, c sched.Ctx, tag uint32) {
	for s := StepH1; s != StepDone; {
		s = r.Next(l, c, tag, s)
	}
}

// Unlock is Release (R1..R4): what a lock holder of a process with a
// receiver calls instead of sched.(*Local).Unlock.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func (r *Receiver) Unlock(l *sched.Local, c sched.Ctx, tag uint32) {
	for s := StepR1; s != StepDone; {
		s = r.Next(l, c, tag, s)
	}
}

// Result returns the last completion left for coroutine id (by its
// slot): the key and the result. The coroutine reads it once woken.
//
// nosplit: vDSO hot path.
//
//go:nosplit
func (r *Receiver) Result(id uint32) (uint64, int64) {
	d := &r.Done[id&(localCos-1)]
	return d.Key, d.Result
}
