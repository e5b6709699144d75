package sandbox

import (
	"fmt"

	"copslab/sched"
)

// One tick of the simulation, in this order:
//
//  1. Delayed spawns due now are spawned (CauseSpawn).
//  2. Devices: each I/O due now completes (CauseIODone). The kernel's
//     completion work takes Uintr.KernelNS; when it ends, for a coroutines-
//     mode process the kernel queues a completion record and raises the
//     user interrupt (CauseUintrSend), which sets the process's pending
//     flag and so boosts its global priority to 0; a threads-mode thread is
//     woken by the kernel directly (CauseWake). Expired sleeps wake
//     (CauseTimer).
//  3. Each hart in turn: spends pending overhead ticks (switch costs); else
//     checks preemption of its process (a better process waits, or the
//     quantum is over and an equal one waits: the running coroutine is
//     Suspended); places the best process when idle (HighestProcMask);
//     starts the user-interrupt handler when records are deliverable
//     (Uintr.DeliveryNS after the send; the handler then occupies the hart
//     for Uintr.HandlerNS and wakes their coroutines, CauseUintr, at its
//     end); resumes the Suspended coroutine or fetches the best ready one;
//     and executes its work: compute uses the tick, other steps are
//     instantaneous and may block, yield or exit the coroutine, after which
//     the hart fetches the next one in the same tick.
//  4. The clock advances and the region's trace ring is drained.

const maxInstantPerTick = 64 // bounds zero-time steps per hart per tick

func (s *Sim) lock() {
	if !s.reg.TryLock(sched.LockTag(0, false)) {
		s.fail(fmt.Errorf("sandbox: region lock busy"))
	}
}

func (s *Sim) unlock() { s.reg.Unlock(sched.LockTag(0, false)) }

// check turns a scheduler error into the end of the run.
func (s *Sim) check(e sched.Errno, what string, args ...any) bool {
	if e == sched.OK {
		return true
	}
	s.fail(fmt.Errorf("sandbox: tick %d: %s: %w", s.tick, fmt.Sprintf(what, args...), e))
	return false
}

func (s *Sim) ctx(h uint8) sched.Ctx { return sched.Ctx{Now: s.Now(), Hart: h} }

// advance runs one tick.
func (s *Sim) advance() {
	if s.done {
		return
	}
	s.lock()
	defer s.unlock()
	s.startDue()
	s.devicesDue()
	for _, h := range s.harts {
		if s.done {
			break
		}
		s.runHart(h)
	}
	s.tick++
	s.drain()
	s.checkDone()
}

func (s *Sim) checkDone() {
	switch {
	case s.done:
	case s.sc.Until > 0 && s.tick >= s.sc.Until:
		s.done = true
	case s.reg.LiveCos() == 0 && s.dev.idle():
		s.done = true
	case s.tick >= s.sc.MaxTicks:
		s.fail(fmt.Errorf("sandbox: %s did not finish within max_ticks=%d", s.sc.Name, s.sc.MaxTicks))
	}
}

// drain moves the ring's events to s.out and updates the counters.
func (s *Sim) drain() {
	for s.reg.Pending() > 0 {
		n, _ := s.reg.Drain(s.buf[:])
		for _, e := range s.buf[:n] {
			s.account(e)
		}
		s.out = append(s.out, s.buf[:n]...)
	}
}

// startDue spawns the coroutines whose start tick has come.
func (s *Sim) startDue() {
	for len(s.dev.starts) > 0 && s.dev.starts[0].at <= s.tick && !s.done {
		st := s.dev.starts[0]
		s.dev.starts = s.dev.starts[1:]
		for i := 0; i < st.spec.instances(); i++ {
			s.spawn(st, i)
		}
	}
}

// spawn starts copy i of st.spec (a coroutine, or a thread in threads mode).
func (s *Sim) spawn(st startReq, i int) {
	name := st.spec.instanceName(i)
	p := st.p
	if st.ps.Mode == ModeThreads {
		var err error
		if p, err = s.newProc(st.ps, st.ps.Name+"/"+name); err != nil {
			s.fail(err)
			return
		}
	}
	id, e := s.reg.Spawn(s.ctx(sched.NoHart), p.slot, sched.KindUser, s.spawnPrio(st.spec.Prio), st.waker)
	if !s.check(e, "spawn %s", name) {
		return
	}
	c := &coro{id: id, name: name, p: p, spec: st.spec, iterStart: s.tick}
	c.stats = CoStats{ID: id, Name: name, Proc: p.name, Prio: st.spec.Prio, Spawned: s.Now()}
	s.cos[id] = c
	s.order = append(s.order, c)
}

// devicesDue completes I/O and sleeps due now, and ends the kernel's
// completion work that is due (see UintrCosts).
func (s *Sim) devicesDue() {
	c := s.ctx(sched.NoHart)
	kernel, _, _ := s.sc.UintrTicks()
	for _, io := range due(&s.dev.io, s.tick) {
		if !s.check(s.reg.Mark(c, io.co.id, sched.CauseIODone, io.kco, io.req), "io-done") {
			return
		}
		io.at = s.tick + kernel
		s.dev.sends = insertPending(s.dev.sends, io)
	}
	for _, io := range due(&s.dev.sends, s.tick) {
		s.kernelDone(c, io)
	}
	for _, sl := range due(&s.dev.sleeps, s.tick) {
		s.check(s.reg.Wake(c, sl.co.id, sched.CauseTimer, sched.NoWaker, 0), "timer wake")
	}
}

// kernelDone ends the kernel's work on a completed I/O: a thread is woken
// directly; for a coroutine process the kernel raises the user interrupt
// (uintr-send), which sets the pending flag and so boosts the process's
// global priority to 0 until the handler has run.
func (s *Sim) kernelDone(c sched.Ctx, io pending) {
	co := io.co
	if co.p.spec.Mode == ModeThreads {
		s.check(s.reg.Wake(c, co.id, sched.CauseWake, sched.NoWaker, io.req), "wake thread")
		return
	}
	s.syscallRun(c, io)
	s.check(s.reg.Mark(c, co.id, sched.CauseUintrSend, io.kco, io.req), "uintr-send")
	_, delivery, _ := s.sc.UintrTicks()
	co.p.uintr = append(co.p.uintr, uintrRec{req: io.req, at: s.tick + delivery})
	co.p.waiter[io.req] = co
	if !s.policy.NoBoost {
		s.check(s.reg.SetUintr(co.p.slot, true), "set uintr")
	}
	s.syscallExit(c, io)
}
