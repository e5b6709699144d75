package sched

import (
	"fmt"
	"sync/atomic"
)

// The kernel's defensive reader. A process's Local is the process's own
// memory: the process may hold its lock forever, change it while the
// kernel reads, or scribble anything over it. At every decision the kernel
// reads each process's local priority from it (Sample) and collects its
// new events into the kernel's trace (Collect), under these rules:
//
//  1. Never follow an unchecked index: every slot number read from a Local
//     is compared with LocalCos before it is used, every enum with its
//     bound. Only O(1) fields are read by Sample: the header, Bitmap, the
//     head of the best queue and the current coroutine.
//  2. Never take the process's lock and never write its Local.
//  3. Judge only a quiescent Local: Sample reads the lock word and Seq
//     before and after; if the lock was held or Seq moved, the reading may
//     be torn, so the kernel keeps the last good local priority and looks
//     again at the next decision (a process that holds its lock forever
//     only freezes its own priority). Why this is enough on RISC-V
//     (RVWMO), where a hart's plain stores may become visible in any
//     order: every change to a Local happens between the process taking
//     its lock (TryLock ends with a full-fence AMO, so the lock store is
//     visible before any store of the operation) and releasing it (a
//     release CAS, after the event that increments Seq). Sample reads the
//     lock and Seq, the fields, then — after a full fence — the lock and
//     Seq again. If it saw any store of an operation, the second reading
//     sees the lock taken or, after the release, Seq moved: discard.
//     (With one hart, as our kernel runs today, the process is never
//     running while the kernel reads.) A quiescent Local that breaks an
//     invariant is corrupt: the result names the byte offset and what is
//     wrong, and the kernel kills that process with a message naming it.
//     Nothing else is affected: the kernel's own state is written only
//     from checked values.

// FaultCode says what is wrong in a Local.
type FaultCode uint8

const (
	FaultNone    FaultCode = iota
	FaultHeader            // magic, version, sizes or owner slot wrong
	FaultLink              // a queue head or current slot out of range
	FaultQueue             // the best queue's head is not a Ready coroutine of that priority
	FaultCurrent           // the current slot is not a Running/Suspended coroutine
	FaultForeign           // a coroutine id or event of another process, or a kernel kind in a user process
	FaultSeq               // the event counter went backwards
	FaultEvent             // an event with an out-of-range state, cause or kind
	numFaults
)

var faultText = [numFaults]string{
	"no fault", "bad header", "slot number out of range", "best queue head is not a ready coroutine of its priority",
	"current slot is not a running or suspended coroutine", "names another process's coroutine or a kernel kind",
	"event counter went backwards", "malformed event",
}

// Fault is a corruption found in a Local: the code and the byte offset in
// the Local where it was seen. The zero value means none.
type Fault struct {
	Code FaultCode
	Off  uint16
}

// Message is the text the kernel prints when it kills the process.
func (f Fault) Message(proc uint16) string {
	t := "Fault(?)"
	if f.Code < numFaults {
		t = faultText[f.Code]
	}
	return fmt.Sprintf("process %d: scheduler state corrupt at byte %d of its Local: %s", proc, f.Off, t)
}

// Sample reads proc's local priority from l under the rules above and,
// when the reading is quiescent and valid, stores it (KProc.LPrio) and
// recomputes ProcPrio[proc]. Global.Lock must be held; ok is false
// (ErrNotLocked, ErrBadProc) when the call itself is wrong. A torn reading
// changes nothing and reports no fault.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) Sample(proc uint16, l *Local) (Fault, Errno) {
	f, _, e := g.SampleSeq(proc, l)
	return f, e
}

// SampleSeq is Sample that also reports the Seq at which its reading was
// valid and stored (NoSeq: torn, locked or corrupt — nothing stored).
// Every change to a Local by its own operations records an event, so a
// caller that sees Seq still there knows the stored priority is current
// and may skip the next reading (the executor does, between its periodic
// full readings; a scribble that leaves Seq alone is found by those).
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) SampleSeq(proc uint16, l *Local) (Fault, uint64, Errno) {
	if !g.held() {
		return Fault{}, NoSeq, ErrNotLocked
	}
	k := g.kproc(proc)
	if k == nil {
		return Fault{}, NoSeq, ErrBadProc
	}
	lock0, seq0 := atomic.LoadUint32(&l.Lock), atomic.LoadUint64(&l.Seq)
	if lock0 != 0 {
		return Fault{}, NoSeq, OK
	}
	prio, f := l.check(proc)
	atomic.AddUint32(&g.Lock, 0) // a full fence (no-op AMO, aq+rl): the reads above happen before the ones below
	if atomic.LoadUint32(&l.Lock) != 0 || atomic.LoadUint64(&l.Seq) != seq0 {
		return Fault{}, NoSeq, OK // changed under us: look again next time
	}
	if f.Code != FaultNone {
		return f, NoSeq, OK
	}
	k.LPrio = prio
	g.refresh(proc)
	return Fault{}, seq0, OK
}

// NoSeq is SampleSeq's "nothing stored".
const NoSeq = ^uint64(0)

// check computes l's local priority trusting nothing (rule 1).
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (l *Local) check(proc uint16) (uint8, Fault) {
	if l.Magic != LocalMagic || l.Version != RegionVersion || l.NCos != LocalCos || l.NRing != LocalRing || l.NPrio != NumPrio {
		return Idle, Fault{FaultHeader, 0}
	}
	if l.Proc != proc {
		return Idle, Fault{FaultHeader, 6}
	}
	best := uint8(Idle)
	if q := lowestBit(l.Bitmap); q < NumPrio {
		h := l.QHead[q&(NumPrio-1)]
		if h >= LocalCos {
			return Idle, Fault{FaultLink, OffQHead + 2*uint16(q)}
		}
		cb := &l.Cos[h&(LocalCos-1)]
		if cb.Flags&CBFree != 0 || cb.State != Ready || queueOf(cb.Prio) != q {
			return Idle, Fault{FaultQueue, OffCos + h*CBSize}
		}
		if ProcOf(cb.ID) != proc || cb.ID == 0 {
			return Idle, Fault{FaultForeign, OffCos + h*CBSize}
		}
		best = q
	}
	if c := l.Cur; c != NoIdx {
		if c >= LocalCos {
			return Idle, Fault{FaultLink, 14}
		}
		cb := &l.Cos[c&(LocalCos-1)]
		if cb.Flags&CBFree != 0 || (cb.State != Running && cb.State != Suspended) || cb.Prio >= NumPrio {
			return Idle, Fault{FaultCurrent, OffCos + c*CBSize}
		}
		if ProcOf(cb.ID) != proc || cb.ID == 0 {
			return Idle, Fault{FaultForeign, OffCos + c*CBSize}
		}
		if cb.Prio < best {
			best = cb.Prio
		}
	}
	return best, Fault{}
}

// Collect copies proc's events that the kernel has not seen yet from l's
// ring into the Global ring, each checked (enums in range, the process's
// own coroutine ids and slot, kernel kinds only in process 0), a switch
// record split into its yield and fetch (SplitSwitch), and each event
// given a global sequence number. Event times come from the process: each is
// clamped into [Global.Clock, now] (now: the kernel's clock), so the trace
// never goes back in time and no process can push it into the future.
// Records the process overwrote before the kernel looked are counted in
// KProc.Lost and Global.Lost. A counter that went backwards, or a
// malformed event in a quiescent Local, is a Fault; the events before it
// are kept. A malformed event while the process holds its lock or moves
// its counter ends this collection without a fault.
// Global.Lock must be held.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) Collect(proc uint16, l *Local, now uint64) (Fault, Errno) {
	if !g.held() {
		return Fault{}, ErrNotLocked
	}
	k := g.kproc(proc)
	if k == nil {
		return Fault{}, ErrBadProc
	}
	end := atomic.LoadUint64(&l.Seq)
	if end < k.Next {
		return Fault{FaultSeq, OffLSeq}, OK
	}
	if end-k.Next > LocalRing {
		lost := end - k.Next - LocalRing
		k.Lost += lost
		g.Lost += lost
		k.Next = end - LocalRing
	}
	var e Event
	for k.Next != end {
		s := k.Next
		slot := uint16(s & (LocalRing - 1))
		e = l.Ring[slot]
		off := OffLRing + slot*EventSize
		f := Fault{}
		sw := e.Cause == CauseSwitch
		switch {
		case e.Seq != s:
			f = Fault{FaultEvent, off + 8}
		case e.From >= NumStates || e.To >= NumStates || (e.Cause >= NumCauses && !sw) || e.Kind >= NumKinds:
			f = Fault{FaultEvent, off + 28}
		case sw && (e.From != Running || e.To != Ready):
			f = Fault{FaultEvent, off + 28}
		case sw && (Kind(e.Arg) >= NumKinds || e.Arg>>8 >= NumPrio):
			f = Fault{FaultEvent, off + 32}
		case e.Proc != proc || ProcOf(e.Co) != proc || (e.Kind != KindUser && proc != 0):
			f = Fault{FaultForeign, off + 16}
		case sw && (ProcOf(e.Waker) != proc || (Kind(e.Arg) != KindUser && proc != 0)):
			f = Fault{FaultForeign, off + 20}
		}
		if f.Code != FaultNone {
			// Judge only a quiescent Local (rule 3): the process may be
			// writing this slot, or have lapped the ring, while we read.
			// Then stop here and look again at the next decision (a
			// lapped ring is counted as lost then).
			atomic.AddUint32(&g.Lock, 0) // full fence, as in Sample
			if atomic.LoadUint32(&l.Lock) != 0 || atomic.LoadUint64(&l.Seq) != end {
				return Fault{}, OK
			}
			return f, OK
		}
		if e.Time > now {
			e.Time = now
		}
		if e.Time < g.Clock {
			e.Time = g.Clock
		}
		if y, f, ok := SplitSwitch(&e); ok {
			g.record(&y)
			g.record(&f)
		} else {
			g.record(&e)
		}
		k.Next++
	}
	return Fault{}, OK
}
