//go:build copslab

package main

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"copslab/kernel/ktrace"
	"copslab/kernel/proc"
)

// runProc runs p's threads until the process exits or is killed; limit
// > 0 kills it after that much time.
func runProc(p *proc.Proc, limit time.Duration) { runProcs([]*proc.Proc{p}, limit) }

// runProcs runs several processes side by side until all have ended.
// Every trap and every interrupt (the 100 Hz tick) comes back here; the
// loop then moves on to the next process with a runnable thread (round
// robin over processes, and inside one process over its threads with
// proc.Pick). So processes and threads share the CPU, and one that never
// makes a system call is preempted by the tick. With nothing runnable the
// kernel goroutine sleeps until the earliest deadline or console input
// (the hart idles in wfi). limit > 0 kills whatever still runs then.
func runProcs(ps []*proc.Proc, limit time.Duration) {
	start := env.Now()
	n0 := len(ps)
	last := make([]*proc.Thread, len(ps))
	cur := len(ps) - 1
	for live(ps) {
		now := env.Now()
		if limit > 0 && now-start > int64(limit) {
			for i, p := range ps {
				if !p.Exited {
					if t := last[i]; t != nil {
						p.FaultPC, p.FaultTID = t.TF.PC, t.TID
					}
					p.Kill(fmt.Sprintf("time limit %v", limit))
				}
			}
			break
		}
		i, t, until := pickNext(ps, cur, now)
		if t == nil {
			idle(ps, until, now)
			continue
		}
		cur, last[i] = i, t
		ktrace.Place(t.TID)
		p := ps[i]
		if p.DeliverPending(t); p.Exited {
			continue
		}
		before := rdinstret()
		rtUserEnter(unsafe.Pointer(&t.TF))
		p.EnterInstret += rdinstret() - before
		p.Entries++
		if t.TF.Cause&proc.CauseInterrupt != 0 {
			p.Interrupts++
			ktrace.Interrupted()
			runtime.Gosched()
			continue
		}
		p.Trap(t, env)
		if procTable == nil {
			continue
		}
		if born := procTable.Born(); len(born) > 0 {
			ps = append(ps, born...)
			last = append(last, make([]*proc.Thread, len(born))...)
		}
		if p.Exited && p.Parent != nil {
			if p.Killed != "" { // the kernel ended it: say why on the console
				fmt.Printf("copslab: pid %d (%s) killed: %s\n", p.PID, p.Name, p.Killed)
			}
			p.Release() // a child's frames come back when it ends; its status waits for the parent
		}
	}
	for i, p := range ps {
		if i >= n0 {
			p.Release()
		}
		if procTable != nil {
			procTable.Remove(p)
		}
	}
	runtime.KeepAlive(ps)
}

func live(ps []*proc.Proc) bool {
	for _, p := range ps {
		if !p.Exited {
			return true
		}
	}
	return false
}

// pickNext returns the first process after cur with a runnable thread,
// or no thread and the earliest deadline of all (0: none). A process
// whose threads all block with no deadline and no console read is
// deadlocked and killed.
func pickNext(ps []*proc.Proc, cur int, now int64) (int, *proc.Thread, int64) {
	earliest := int64(0)
	for k := 1; k <= len(ps); k++ {
		i := (cur + k) % len(ps)
		p := ps[i]
		if p.Exited {
			continue
		}
		t, until := p.Pick(now)
		if t != nil {
			return i, t, 0
		}
		if until == 0 && !p.WaitingForInput() && !p.WaitingOnOthers() {
			p.Kill("every thread blocked with no timeout (deadlock)")
			continue
		}
		if until != 0 && (earliest == 0 || until < earliest) {
			earliest = until
		}
	}
	return 0, nil, earliest
}

// idle waits while no thread can run: until the earliest deadline (0:
// none) or, if a thread reads the console, until input arrives. The
// hart sleeps in wfi meanwhile.
func idle(ps []*proc.Proc, until, now int64) {
	reading := false
	for _, p := range ps {
		reading = reading || !p.Exited && p.WaitingForInput()
	}
	if !reading {
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
