package uintr

import "copslab/sched"

// The kernel-side stages of an async call, as scheduler events (the
// trace format the workbench reads): io-done when the kernel completes
// the call, uintr-send when it posts the interrupt, uintr-deliver when
// the process is diverted to its handler (one per record that delivery
// announces). The process's own stages come from its Local: io-submit
// (Mark, step S2; the kernel records it too at the system call:
// kernel/proc's traceSubmit), uintr (the handler's Wake) and fetch (the
// coroutine runs). Every event names the waiting coroutine and carries the call's
// key as Arg, so the stages of one call line up. Sends between processes
// are not traced (no coroutine to name).

// Tracer receives the events; the kernel stamps and records them.
type Tracer func(e sched.Event)

// announced is a published record's coroutine and key, kept by the
// kernel (not read back from shared memory) for its uintr-deliver event.
type announced struct {
	co  uint32
	key uint64
}

// stage emits one event for proc's coroutine co.
func (k *kproc) stage(tr Tracer, proc uint16, co uint32, cause sched.Cause, key uint64) {
	if tr == nil {
		return
	}
	tr(sched.Event{Co: co, Waker: sched.NoWaker, Proc: proc, From: sched.Blocked, To: sched.Blocked,
		Cause: cause, Kind: sched.KindUser, Arg: key})
}

// delivered emits uintr-deliver for each record published since the
// last delivery.
func (k *kproc) delivered(tr Tracer, proc uint16) {
	for ; k.told != k.tail; k.told++ {
		a := k.recent[k.told&(RingRecs-1)]
		k.stage(tr, proc, a.co, sched.CauseUintrDeliver, a.key)
	}
}
