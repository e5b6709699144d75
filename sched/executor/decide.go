package executor

import "copslab/sched"

// Decide makes one decision for hart (see the protocol in executor.go).
// mask is the hart's affinity over user processes (bit p: slot p). The
// caller runs what it says: returns to Decision.Proc for RunUser, calls
// Decide again for RunKernel, waits for an interrupt for Idle.
func (x *Executor) Decide(hart uint8, mask uint64, why Reason) Decision {
	c := x.ctx(hart)
	x.lockGlobal()
	kills := x.sampleAll(c.Now)
	d, step := x.choose(c, hart, mask&^1, why)
	x.g.Collect(0, x.kl, c.Now)
	x.unlockGlobal()
	x.report(kills)
	if step != nil {
		x.runStep(c, d.Co, step)
	}
	return d
}

// sampleAll collects and samples every process and drops the corrupt ones
// (Global lock held). It returns the kills to report.
func (x *Executor) sampleAll(now uint64) []Kill {
	var kills []Kill
	for p := uint16(1); p < sched.MaxProcs; p++ {
		l := x.procs[p]
		if l == nil {
			continue
		}
		if x.gated[p] && x.run[p] == sched.Idle {
			x.g.SetLocalPrio(p, sched.Idle) // no thread to run it on
			continue
		}
		f, _ := x.g.Collect(p, l, now)
		if f.Code == sched.FaultNone {
			f, _ = x.g.Sample(p, l)
		}
		if f.Code != sched.FaultNone {
			x.drop(p)
			kills = append(kills, Kill{Proc: p, Msg: f.Message(p)})
			continue
		}
		if x.gated[p] && x.g.Procs[p].LPrio == sched.Idle {
			x.g.SetLocalPrio(p, x.run[p]) // no coroutine ready: its threads' priority
		}
	}
	x.g.Collect(0, x.kl, now)
	x.g.Sample(0, x.kl)
	return kills
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
	x.g.Collect(0, x.kl, c.Now)
	x.g.Sample(0, x.kl)
	x.unlockGlobal()
}
