package sched

import "unsafe"

// Two kinds of ring hold events. Each Local has LocalRing records: its
// process's transitions, numbered by the Local's own Seq (record s lives
// in Ring[s%LocalRing]); each record is one event, except a switch
// record (CauseSwitch, event.go), which Switch writes for its two
// transitions. When the ring is full the oldest record is overwritten and
// counted in the Local's Overflow. The kernel collects them into the
// Global ring (sample.go), splitting each switch record into its two
// events, giving each event a global sequence number and counting the
// records overwritten before it looked (KProc.Lost, Global.Lost: a lost
// switch record hides two transitions). The Global ring holds RingSize
// events, numbered by Global.Seq; Tail is the oldest one still in it; a
// full ring drops its oldest event and counts it in Overflow, so a reader
// sees every loss twice: in a counter and as a gap in Seq.

// emit records one event in the Local's ring. The Local's lock must be
// held (callers assert it).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) emit(c Ctx, cb *CB, from, to State, cause Cause, waker uint32, arg uint64) {
	if l.Seq-l.Tail >= LocalRing {
		l.Tail++
		l.Overflow++
	}
	e := &l.Ring[l.Seq&(LocalRing-1)]
	e.Time = c.Now
	e.Seq = l.Seq
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
	l.Seq++
}

// put writes record seq of coroutine cb into its ring slot, as emit
// does, for Switch's switch record: ftc holds From, To and Cause in its
// low three bytes (a constant there), and the eight bytes from Proc to
// Kind (layout.go) are written as two 32-bit words, little-endian as
// every layout here, instead of seven single stores.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) put(seq uint64, c Ctx, cb *CB, ftc uint32, waker uint32, arg uint64) {
	e := &l.Ring[seq&(LocalRing-1)]
	e.Time = c.Now
	e.Seq = seq
	e.Co = cb.ID
	e.Waker = waker
	*(*uint32)(unsafe.Pointer(&e.Proc)) = uint32(cb.Proc) | uint32(c.Hart)<<16 | uint32(cb.Prio)<<24
	*(*uint32)(unsafe.Pointer(&e.From)) = ftc | uint32(cb.Kind)<<24
	e.Arg = arg
}

// record appends a copy of *e to the Global ring with the next global
// sequence number. Global.Lock must be held (callers assert it).
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) record(e *Event) {
	if g.Seq-g.Tail >= RingSize {
		g.Tail++
		g.Overflow++
	}
	d := &g.Ring[g.Seq&(RingSize-1)]
	*d = *e
	d.Seq = g.Seq
	g.Seq++
	if e.Time > g.Clock {
		g.Clock = e.Time
	}
}

// Pending returns how many events are in the Global ring.
func (g *Global) Pending() int { return int(g.Seq - g.Tail) }

// Drain moves the oldest events of the Global ring into dst and returns
// how many it moved. Global.Lock must be held.
func (g *Global) Drain(dst []Event) (int, Errno) {
	if !g.held() {
		return 0, ErrNotLocked
	}
	n := 0
	for n < len(dst) && g.Tail != g.Seq {
		dst[n] = g.Ring[g.Tail&(RingSize-1)]
		g.Tail++
		n++
	}
	return n, OK
}
