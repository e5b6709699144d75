package executor

import (
	"sync/atomic"

	"copslab/sched"
)

// Decide makes one decision for hart (see the protocol in executor.go).
// mask is the hart's affinity over user processes (bit p: slot p). The
// caller runs what it says: returns to Decision.Proc for RunUser, calls
// Decide again for RunKernel, waits for an interrupt for Idle.
func (x *Executor) Decide(hart uint8, mask uint64, why Reason) Decision {
	c := x.ctx(hart)
	x.lockGlobal()
	full := c.Now-x.readAll >= x.ReadAllEvery
	if full {
		x.readAll = c.Now
	}
	kills := x.sampleAll(c.Now, full)
	d, step := x.choose(c, hart, mask&x.live, why)
	x.collectKernel(c.Now)
	x.unlockGlobal()
	x.report(kills)
	if step != nil {
		x.runStep(c, d.Co, step)
	}
	return d
}

// sampleAll collects and samples every process and drops the corrupt ones
// (Global lock held). It returns the kills to report. A Local whose Seq
// has not moved since its last valid reading is not read again (nothing
// it does through its operations goes unrecorded) unless full: every
// ReadAllEvery, so a scribble that leaves Seq alone is found by then.
func (x *Executor) sampleAll(now uint64, full bool) []Kill {
	var kills []Kill
	for p, m := uint16(1), x.live>>1; m != 0; p, m = p+1, m>>1 {
		l := x.procs[p&(sched.MaxProcs-1)]
		if m&1 == 0 || l == nil {
			continue
		}
		if x.gated[p] && x.run[p] == sched.Idle {
			x.setLocalPrio(p, sched.Idle) // no thread to run it on
			x.seen[p] = sched.NoSeq       // read it once it can run again
			// Its last events (a coroutine blocking in an async call just
			// before its thread went to sleep) go into the trace now, not
			// when it can run again; a fault in them waits for that.
			x.g.Collect(p, l, now)
			continue
		}
		if full || atomic.LoadUint64(&l.Seq) != x.seen[p] {
			f, _ := x.g.Collect(p, l, now)
			seq := sched.NoSeq
			if f.Code == sched.FaultNone {
				f, seq, _ = x.g.SampleSeq(p, l)
			}
			if f.Code != sched.FaultNone {
				x.drop(p)
				kills = append(kills, Kill{Proc: p, Msg: f.Message(p)})
				continue
			}
			if seq != sched.NoSeq {
				x.seen[p], x.lprio[p] = seq, x.g.Procs[p].LPrio
			}
		}
		prio := x.lprio[p]
		if x.gated[p] && prio == sched.Idle {
			prio = x.run[p] // no coroutine ready: its threads' priority
		}
		x.setLocalPrio(p, prio)
	}
	x.collectKernel(now)
	return kills
}

// setLocalPrio stores proc's local priority when it changed (Global lock
// held).
func (x *Executor) setLocalPrio(proc uint16, prio uint8) {
	if x.g.Procs[proc].LPrio != prio {
		x.g.SetLocalPrio(proc, prio)
	}
}

// collectKernel collects and samples the kernel's own Local (slot 0)
// when its Seq moved (Global lock held): only the kernel writes it.
func (x *Executor) collectKernel(now uint64) {
	if atomic.LoadUint64(&x.kl.Seq) == x.seen[0] {
		return
	}
	x.g.Collect(0, x.kl, now)
	if _, seq, _ := x.g.SampleSeq(0, x.kl); seq != sched.NoSeq {
		x.seen[0] = seq
	}
}

func (x *Executor) report(kills []Kill) {
	for _, k := range kills {
		x.Kills = append(x.Kills, k)
		if x.OnKill != nil {
			x.OnKill(k)
		}
	}
}

// candidate returns the user work hart should run (step 2 of the
// protocol): the process on it or the best other one, or NoProc.
func (x *Executor) candidate(hart uint8, mask uint64, why Reason) (cur, cand uint16, prio uint8) {
	cur = x.g.HartProc[hart&(sched.MaxHarts-1)]
	curPrio := uint8(sched.Idle)
	if cur != sched.NoProc {
		curPrio = x.g.ProcPrio[cur&(sched.MaxProcs-1)]
	}
	other, otherPrio := x.g.HighestProcMask(mask)
	switch {
	case otherPrio < curPrio, why == Tick && otherPrio == curPrio && otherPrio != sched.Idle:
		return cur, other, otherPrio
	case curPrio != sched.Idle:
		return cur, cur, curPrio
	}
	return cur, sched.NoProc, sched.Idle
}

// kernelWork returns the best priority of a Ready kernel coroutine other
// than the scheduler coroutine, or Idle (kernel Local locked or quiescent:
// only the kernel writes it).
func (x *Executor) kernelWork() uint8 {
	l := x.kl
	sslot := uint16(x.sched & (sched.LocalCos - 1))
	for q := 0; q < sched.NumPrio; q++ {
		if l.Bitmap&(1<<q) == 0 {
			continue
		}
		if h := l.QHead[q]; h != sslot || l.Cos[h].Next != sched.NoIdx {
			return uint8(q)
		}
	}
	return sched.Idle
}

// choose is steps 2–4 (Global lock held). It returns the decision and, for
// RunKernel, the step to run once the locks are released.
func (x *Executor) choose(c sched.Ctx, hart uint8, mask uint64, why Reason) (Decision, Step) {
	cur, cand, prio := x.candidate(hart, mask, why)
	kp := x.kernelWork()
	if cand == cur && cur != sched.NoProc && (kp > prio || (kp == prio && why != Tick)) {
		return Decision{Outcome: RunUser, Proc: cur, Prio: prio}, nil // step 3: nothing changes
	}
	x.lockLocal()
	defer x.unlockLocal()
	x.tuneScheduler(c, cand, prio)
	if cand != sched.NoProc && kp > prio && x.kl.Cur == sched.NoIdx {
		// The scheduler coroutine is alone in the best ready queue: Fetch
		// would return it and Yield put it back where it was. The
		// placement is its one event.
		x.g.RunOn(hart, cand)
		x.kl.Mark(c, x.sched, sched.CausePlace, sched.NoWaker, uint64(cand))
		return Decision{Outcome: RunUser, Proc: cand, Prio: prio}, nil
	}
	for {
		id, e := x.kl.Fetch(c)
		switch {
		case e == sched.ErrBusy: // another hart runs a kernel step: place directly
			if cand == sched.NoProc {
				x.g.Leave(hart)
				return Decision{Outcome: Idle}, nil
			}
			x.g.RunOn(hart, cand)
			return Decision{Outcome: RunUser, Proc: cand, Prio: prio}, nil
		case e != sched.OK: // nothing ready at all
			if cur != sched.NoProc {
				x.g.Leave(hart)
				x.kl.Mark(c, x.sched, sched.CausePlace, sched.NoWaker, uint64(sched.NoProc))
			}
			return Decision{Outcome: Idle}, nil
		case id == x.sched && cand == sched.NoProc:
			x.kl.Block(c, id, 0) // no user work: wait to be woken
			continue
		case id == x.sched:
			x.g.RunOn(hart, cand)
			x.kl.Mark(c, id, sched.CausePlace, sched.NoWaker, uint64(cand))
			x.kl.Yield(c, id)
			return Decision{Outcome: RunUser, Proc: cand, Prio: prio}, nil
		}
		if cur != sched.NoProc {
			x.g.Leave(hart)
			x.kl.Mark(c, x.sched, sched.CausePlace, sched.NoWaker, uint64(sched.NoProc))
		}
		slot := id & (sched.LocalCos - 1)
		return Decision{Outcome: RunKernel, Co: id, Prio: x.kl.Cos[slot].Prio}, x.steps[slot]
	}
}

// tuneScheduler gives the scheduler coroutine the candidate's priority and
// wakes it when there is user work (kernel Local locked).
func (x *Executor) tuneScheduler(c sched.Ctx, cand uint16, prio uint8) {
	if cand == sched.NoProc {
		return
	}
	st, _ := x.kl.StateOf(x.sched)
	if st == sched.Blocked {
		x.kl.Wake(c, x.sched, sched.CauseWake, sched.NoWaker, uint64(cand))
	}
	if x.kl.Cos[x.sched&(sched.LocalCos-1)].Prio != prio {
		x.kl.SetPrio(c, x.sched, prio)
	}
}

// runStep runs a kernel coroutine's step with no lock held and applies
// its Action.
func (x *Executor) runStep(c sched.Ctx, id uint32, step Step) {
	a := Exit
	if step != nil {
		a = step(c.Now, id)
	}
	c.Now = x.clock()
	x.lockLocal()
	slot := id & (sched.LocalCos - 1)
	if a == Block && x.rewake[slot] {
		a = Yield // woken while it ran: run again instead of waiting
	}
	x.rewake[slot] = false
	switch a {
	case Yield:
		x.kl.Yield(c, id)
	case Block:
		x.kl.Block(c, id, 0)
	default:
		x.kl.Exit(c, id)
		x.steps[slot] = nil
	}
	x.unlockLocal()
	x.lockGlobal()
	x.collectKernel(c.Now)
	x.unlockGlobal()
}
