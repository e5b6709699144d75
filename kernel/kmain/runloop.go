//go:build copslab

package main

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"copslab/kernel/proc"
	"copslab/sched"
)

// runProc runs p's threads until the process exits or is killed; limit
// > 0 kills it after that much time.
func runProc(p *proc.Proc, limit time.Duration) { runProcs([]*proc.Proc{p}, limit) }

// runProcs runs several processes side by side until all have ended.
// Every trap and every interrupt (the 100 Hz tick) comes back here; the
// scheduling seam (proc.Sched) then decides what runs next: processes
// take turns, and inside one the ready thread with the lowest nice value
// runs. So processes and threads share the CPU, and one that never makes
// a system call is preempted by the tick. With nothing ready the kernel
// goroutine sleeps until the earliest deadline or console input (the
// hart idles in wfi). limit > 0 kills whatever still runs then.
func runProcs(ps []*proc.Proc, limit time.Duration) { runUntil(ps, limit, nil) }

// runUntil is runProcs that also ends the others (killed: "runall:
// first ended") once the process first has ended, if first is not nil.
func runUntil(ps []*proc.Proc, limit time.Duration, first *proc.Proc) {
	s := procTable.Sched()
	s.Env = env // async calls' kernel coroutines run their calls against it
	if limit > 0 {
		s.SetLimit(env.Now() + int64(limit))
		defer s.SetLimit(0)
	}
	for live(ps) {
		if first != nil && first.Exited {
			killAll(ps, "runall: first ended")
			continue
		}
		consoleArrived()
		if input.arrived.Swap(false) {
			s.WakeInput()
		}
		now := env.Now()
		d := s.Next(now)
		if d.Expired {
			killAll(ps, fmt.Sprintf("time limit %v", limit))
			break
		}
		t := d.Thread
		if t == nil {
			idle(d, now)
			continue
		}
		p := t.Proc()
		if p.DeliverPending(t); p.Exited {
			continue
		}
		if p.DeliverUintr(t); p.Exited {
			continue
		}
		before := rdinstret()
		rtUserEnter(unsafe.Pointer(&t.TF))
		p.EnterInstret += rdinstret() - before
		p.LeaveUintr()
		p.Entries++
		if t.TF.Cause&proc.CauseInterrupt != 0 {
			p.Interrupts++
			s.Yield(t, sched.CausePreempt)
			runtime.Gosched()
			continue
		}
		p.Trap(t, env)
		if born := procTable.Born(); len(born) > 0 {
			ps = append(ps, born...)
		}
	}
	for _, p := range ps { // (every one has ended: Exit gave its memory back)
		procTable.Remove(p)
	}
	runtime.KeepAlive(ps)
}

// killAll kills every process of ps still running, naming where each
// last ran.
func killAll(ps []*proc.Proc, why string) {
	for _, p := range ps {
		if !p.Exited {
			if t := p.LastRun(); t != nil {
				p.FaultPC, p.FaultTID = t.TF.PC, t.TID
			}
			p.Kill(why)
		}
	}
}

func live(ps []*proc.Proc) bool {
	for _, p := range ps {
		if !p.Exited {
			return true
		}
	}
	return false
}

// idle waits while no thread can run: until the earliest deadline (0:
// none) or, if a thread reads the console, until input arrives. The
// hart sleeps in wfi meanwhile.
func idle(d proc.Decision, now int64) {
	until := d.Until
	if d.Input && consoleCo != nil {
		// The console driver coroutine runs from the run loop: look
		// for input every pollEvery.
		if until == 0 || until > now+int64(pollEvery) {
			until = now + int64(pollEvery)
		}
		time.Sleep(time.Duration(until - now))
		return
	}
	if !d.Input {
		if until == 0 {
			until = now + int64(time.Millisecond) // only waits on other processes: a deadlock, or a kill to come
		}
		time.Sleep(time.Duration(until - now))
		return
	}
	var timeout <-chan time.Time
	if until != 0 {
		timer := time.NewTimer(time.Duration(until - now))
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-input.wake:
	case <-timeout:
	}
}
