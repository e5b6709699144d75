package sched

// The trace ring is RingSize Events inside the region. Seq is the number of
// events ever recorded (the next event's sequence number) and Tail the
// sequence number of the oldest event still in the ring; event s lives in
// Ring[s%RingSize]. A full ring drops its oldest event and counts it in
// Overflow, so a reader sees the loss twice: in Overflow and as a gap in Seq.

// emit records one event. The region lock must be held (callers assert it).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) emit(c Ctx, cb *CB, from, to State, cause Cause, waker uint32, arg uint64) {
	if r.Seq-r.Tail >= RingSize {
		r.Tail++
		r.Overflow++
	}
	e := &r.Ring[r.Seq&(RingSize-1)]
	e.Time = c.Now
	e.Seq = r.Seq
	e.Co = cb.ID
	e.Waker = waker
	e.Proc = cb.Proc
	e.Hart = c.Hart
	e.Prio = cb.Prio
	e.From = from
	e.To = to
	e.Cause = cause
	e.Kind = cb.Kind
	e.Arg = arg
	r.Seq++
}

// Pending returns how many events are in the ring.
func (r *Region) Pending() int { return int(r.Seq - r.Tail) }

// Drain moves the oldest events of the ring into dst and returns how many
// it moved. The region lock must be held.
func (r *Region) Drain(dst []Event) (int, Errno) {
	if !r.held() {
		return 0, ErrNotLocked
	}
	n := 0
	for n < len(dst) && r.Tail != r.Seq {
		dst[n] = r.Ring[r.Tail&(RingSize-1)]
		r.Tail++
		n++
	}
	return n, OK
}
