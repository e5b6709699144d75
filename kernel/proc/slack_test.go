package proc

import (
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// Host tests of timer slack (slack.go).

// TestSlackWaitsForThePlacement: a sleeper of a process with slack is
// not woken at its deadline while the process sleeps; it is woken when
// the process is placed for another reason (never before its deadline),
// and at deadline + slack at the latest. Without slack nothing changes
// (TestSchedWakeCauses: the deadline, exactly).
func TestSlackWaitsForThePlacement(t *testing.T) {
	var events []sched.Cause
	s := &Sched{Trace: func(th *Thread, from, to sched.State, c sched.Cause) {
		if th.TID == 1 {
			events = append(events, c)
		}
	}}
	p := bare(s, 1, 2)
	p.slack = 1000
	a, b := p.Threads[0], p.Threads[1]
	var q WaitQ
	run(t, s, 0, a)
	s.Block(a, nil, WaitSleep, 100, 7)
	run(t, s, 0, b)
	s.Block(b, &q, WaitPipe, 0, 0)
	// Past a's deadline, nothing else to do: the hart idles until 1100.
	for _, now := range []int64{100, 150, 1099} {
		if d := s.Next(now); d.Thread != nil || d.Until != 1100 {
			t.Fatalf("Next(%d) = %+v, want nothing until 1100", now, d)
		}
	}
	// b is woken at 600: the placement takes a's due timer along.
	s.WakeOne(&q, sched.CauseWake, 0)
	run(t, s, 600, b)
	if a.State() != sched.Ready || a.TF.X[RegA0] != 7 {
		t.Fatalf("a is %v (a0 %d) after its process was placed past its deadline", a.State(), a.TF.X[RegA0])
	}
	s.Block(b, &q, WaitPipe, 0, 0)
	run(t, s, 600, a)
	// Not before the deadline asked for: a sleeps until 2000, b's
	// placement at 1800 leaves it asleep.
	s.Block(a, nil, WaitSleep, 2000, 8)
	s.WakeOne(&q, sched.CauseWake, 0)
	run(t, s, 1800, b)
	if a.State() != sched.Blocked {
		t.Fatalf("a woken at 1800 for a deadline of 2000")
	}
	// At the latest: 2000 + 1000.
	s.Block(b, &q, WaitPipe, 0, 0)
	if d := s.Next(2500); d.Thread != nil || d.Until != 3000 {
		t.Fatalf("Next(2500) = %+v, want nothing until 3000", d)
	}
	run(t, s, 3000, a)
	if a.TF.X[RegA0] != 8 || len(p.softq.ts) != 0 || s.timers.top() != nil {
		t.Fatalf("a0 %d, %d in the slack heap, timer heap top %v", a.TF.X[RegA0], len(p.softq.ts), s.timers.top())
	}
	want := []sched.Cause{sched.CauseSpawn, sched.CauseFetch, sched.CauseBlock, sched.CauseTimer, sched.CauseFetch,
		sched.CauseBlock, sched.CauseTimer, sched.CauseFetch}
	if len(events) != len(want) {
		t.Fatalf("a's transitions %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("a's transitions %v, want %v", events, want)
		}
	}
}

// TestSlackRunningProcessNotStarved: while a thread of a process with a
// huge slack computes (never blocks), its sleeping sibling is woken at
// the first decision past its deadline — a trap that would otherwise
// leave the running thread on the hart without a decision — and runs
// at the next (a tick).
func TestSlackRunningProcessNotStarved(t *testing.T) {
	s := &Sched{}
	p := bare(s, 1, 2)
	p.slack = 1<<63 - 1
	sleeper, busy := p.Threads[0], p.Threads[1]
	run(t, s, 0, sleeper)
	s.Block(sleeper, nil, WaitFutex, 100, 9)
	run(t, s, 0, busy)
	run(t, s, 50, busy)  // a trap (busy stays Running): alone, nothing due
	run(t, s, 100, busy) // a trap at the deadline: no longer alone, busy was first in line
	if sleeper.State() != sched.Ready || sleeper.TF.X[RegA0] != 9 {
		t.Fatalf("sleeper %v (a0 %d) at the first decision past its deadline", sleeper.State(), sleeper.TF.X[RegA0])
	}
	s.Yield(busy, sched.CausePreempt)
	run(t, s, 110, sleeper)
	// A deadline + slack beyond int64 saturates.
	s.Block(sleeper, nil, WaitSleep, 200, 0)
	if sleeper.deadline != 1<<63-1 || sleeper.soft != 200 {
		t.Fatalf("deadline %d, asked %d", sleeper.deadline, sleeper.soft)
	}
	// An early wake leaves both heaps.
	s.Wake(sleeper, sched.CauseWake, 0)
	if sleeper.softIdx != 0 || sleeper.timerIdx != 0 || sleeper.soft != 0 || len(p.softq.ts) != 0 {
		t.Fatalf("woken early: slack heap index %d, timer heap index %d", sleeper.softIdx, sleeper.timerIdx)
	}
}

// TestTimerSlackPrctl: PR_SET_TIMERSLACK and PR_GET_TIMERSLACK; fork
// copies the slack; 0 sets it back to none; other options stay EINVAL.
func TestTimerSlackPrctl(t *testing.T) {
	p, a, _ := newProc(t, "uhello")
	sys := &System{Phys: p.Space.phys, Frames: a, NewPID: func() int { return 2 }}
	sys.Add(p)
	call, _ := sysCaller(t, p)
	if r := call(uabi.SYS_PRCTL, prGetTimerSlack); r != 0 {
		t.Fatalf("default slack %d, want 0", r)
	}
	if r := call(uabi.SYS_PRCTL, prSetTimerSlack, 5e8); r != 0 {
		t.Fatalf("PR_SET_TIMERSLACK = %d", int64(r))
	}
	if r := call(uabi.SYS_PRCTL, prGetTimerSlack); r != 5e8 || p.TimerSlack() != 5e8 {
		t.Fatalf("PR_GET_TIMERSLACK = %d", r)
	}
	if pid := call(uabi.SYS_CLONE, uint64(uabi.SIGCHLD)); pid != 2 {
		t.Fatalf("clone = %d", int64(pid))
	}
	if c := sys.Born()[0]; c.TimerSlack() != 5e8 {
		t.Errorf("child's slack %d, want the parent's", c.TimerSlack())
	}
	if r := call(uabi.SYS_PRCTL, prSetTimerSlack, ^uint64(0)); r != 0 || p.TimerSlack() != 1<<63-1 {
		t.Errorf("PR_SET_TIMERSLACK of 2^64-1: %d, slack %d", int64(r), p.TimerSlack())
	}
	if r := call(uabi.SYS_PRCTL, prSetTimerSlack, 0); r != 0 || call(uabi.SYS_PRCTL, prGetTimerSlack) != 0 {
		t.Errorf("PR_SET_TIMERSLACK 0 = %d, then %d", int64(r), call(uabi.SYS_PRCTL, prGetTimerSlack))
	}
	if r := call(uabi.SYS_PRCTL, 12345); r != uabi.Errno(uabi.EINVAL) {
		t.Errorf("unknown prctl option = %d", int64(r))
	}
}

// TestAsyncSleepIgnoresSlack: an async call's kernel coroutine sleeps
// exactly (its deadline is the call's result) whatever its process's
// slack — here while the process's only thread sleeps, so no placement
// of the process could end it.
func TestAsyncSleepIgnoresSlack(t *testing.T) {
	table, _, env, start := uintrEnv(t)
	p := start("a")
	s := table.Sched()
	main := p.Threads[0]
	s.Next(0)
	p.slack = 1e12
	r, data := registered(t, p, env, 1)
	p.Space.CopyOut(data+8, []byte{0x40, 0x42, 0x0f, 0}) // {0 s, 1 ms}
	if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, data, 0, 0, 1, 1); got != 0 {
		t.Fatalf("async sleep = %d", int64(got))
	}
	var q WaitQ
	s.Block(main, &q, WaitFutex, 0, 0)
	for _, now := range []int64{10, 2e6, 2e6} {
		env.now = now
		s.Next(now)
	}
	if r.Tail != 1 || p.nAsync != 0 {
		t.Fatalf("1 ms after the deadline of an async sleep: %d completed, %d in flight", r.Tail, p.nAsync)
	}
}
