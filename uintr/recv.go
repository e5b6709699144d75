package uintr

import "sync/atomic"

// kproc is what both back ends keep in the kernel about one receiver:
// the truth about its completion ring, whatever the process writes.
type kproc struct {
	r        *Receiver
	sp       Space
	gen      uint32 // registration generation; 0 = none
	tail     uint64 // the truth; Receiver.Tail mirrors it
	inflight uint64 // reserved ring slots not completed yet
	stats    Stats
	recent   [RingRecs]announced // coroutine and key of the last RingRecs records
	told     uint64              // records announced by a delivery so far
}

// Stats counts one process's interrupts.
type Stats struct {
	Posted, Delivered, Returned, Completed uint64
}

// StackMin is how much handler stack delivery requires to be writable.
const StackMin = 256

// used returns the ring slots the receiver has spoken for, or a Kill if
// the process moved Head where it cannot be.
func (k *kproc) used(proc uint16) (uint64, error) {
	head := atomic.LoadUint64(&k.r.Head)
	if k.tail-head > RingRecs {
		return 0, kill(proc, "user-interrupt receiver corrupt: Head %d outside [%d, %d]", head, k.tail-min(k.tail, RingRecs), k.tail)
	}
	return k.tail - head + k.inflight, nil
}

// reserve claims a ring slot for an async call (ErrBusy when none).
func (k *kproc) reserve(proc uint16) error {
	n, err := k.used(proc)
	if err != nil {
		return err
	}
	if n >= RingRecs {
		return ErrBusy
	}
	k.inflight++
	return nil
}

// complete checks and publishes a reserved call's record.
func (k *kproc) complete(proc uint16, rec Record) error {
	if k.inflight == 0 {
		return ErrNoReserve
	}
	if _, err := k.used(proc); err != nil {
		return err
	}
	k.publish(rec)
	return nil
}

// publish is K1 and K2: the record, then Tail (a reserved slot is free);
// the back end then posts VecKernel (K3).
func (k *kproc) publish(rec Record) {
	k.inflight--
	rec.Vector, rec.Seq = VecKernel, k.tail
	k.r.Recs[k.tail&(RingRecs-1)] = rec
	k.recent[k.tail&(RingRecs-1)] = announced{rec.Co, rec.Key}
	k.tail++
	atomic.StoreUint64(&k.r.Tail, k.tail)
	k.stats.Completed++
}

// checkHandler reads the handler entry and stack the process wrote, once
// each, and kills the process if the entry is outside its text (the
// vDSO's handler entry excepted) or the stack is not writable.
func (k *kproc) checkHandler(proc uint16) (handler, stack uint64, err error) {
	handler = atomic.LoadUint64(&k.r.Handler)
	stack = atomic.LoadUint64(&k.r.Stack)
	if lo, hi := k.sp.Text(); (handler < lo || handler >= hi || handler&3 != 0) && (handler == 0 || handler != k.sp.VDSOHandler()) {
		return 0, 0, kill(proc, "user-interrupt handler %#x outside its text [%#x, %#x)", handler, lo, hi)
	}
	if stack&15 != 0 || stack < StackMin || !k.sp.Writable(stack-StackMin, StackMin) {
		return 0, 0, kill(proc, "user-interrupt handler stack %#x is not %d writable bytes (16-byte aligned top)", stack, StackMin)
	}
	return handler, stack, nil
}
