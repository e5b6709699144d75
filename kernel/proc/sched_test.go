package proc

import (
	"fmt"
	"testing"

	"copslab/sched"
)

// Host tests of the scheduling seam on bare processes (no address
// space): every wake cause, deadline order, deadlock detection, the
// time limit, and the order of decisions.

// Pick is Next restricted to process p (host tests drive one process
// this way): p's best ready thread, or nil and the earliest deadline.
func (p *Proc) Pick(now int64) (*Thread, int64) {
	s := p.sched
	s.settle(now)
	if p.nReady == 0 {
		return nil, s.earliest()
	}
	return s.fetch(p), 0
}

// bare makes a process with n threads in s.
func bare(s *Sched, pid, n int) *Proc {
	p := &Proc{PID: pid, nextTID: pid * 1000, sched: s}
	for i := 0; i < n; i++ {
		p.newThread()
	}
	return p
}

// run makes s hand out exactly want next (at time now).
func run(t *testing.T, s *Sched, now int64, want *Thread) {
	t.Helper()
	d := s.Next(now)
	if d.Thread != want {
		t.Fatalf("Next(%d) = %v, want tid %d", now, tidOf(d.Thread), want.TID)
	}
	if want.State() != sched.Running {
		t.Fatalf("handed-out thread is %v", want.State())
	}
}

func tidOf(t *Thread) any {
	if t == nil {
		return "nothing"
	}
	return t.TID
}

// TestSchedWakeCauses: a blocked thread runs only after its wake, and
// each cause delivers its result: wake (a result, or the call again),
// input (the read again), timer (the timeout result).
func TestSchedWakeCauses(t *testing.T) {
	var events []string
	s := &Sched{Trace: func(th *Thread, from, to sched.State, c sched.Cause) {
		events = append(events, fmt.Sprintf("%d %v>%v %v", th.TID, from, to, c))
	}}
	p := bare(s, 1, 1)
	a := p.Threads[0]
	run(t, s, 0, a)
	var q WaitQ
	a.TF.PC = 0x1004 // past its ecall
	s.Block(a, &q, WaitVfork, 0, 99)
	if d := s.Next(0); d.Thread != nil || d.Until != 0 || d.Input {
		t.Fatalf("blocked thread handed out: %+v", d)
	}
	if s.WakeOne(&q, sched.CauseWake, 7) != a || a.TF.X[RegA0] != 7 || a.TF.PC != 0x1004 || !q.Empty() {
		t.Fatalf("vfork wake: a0 %d pc %#x", a.TF.X[RegA0], a.TF.PC)
	}
	run(t, s, 0, a)
	// A rerun wait (pipe) moves pc back to the ecall and keeps a0.
	a.TF.X[RegA0] = 5
	s.Block(a, &q, WaitPipe, 0, 0)
	if a.TF.PC != 0x1000 || s.WakeAll(&q, sched.CauseWake, 1) != 1 || a.TF.X[RegA0] != 5 {
		t.Fatalf("pipe wake: pc %#x a0 %d", a.TF.PC, a.TF.X[RegA0])
	}
	run(t, s, 0, a)
	// Console input.
	a.TF.PC = 0x1004
	s.Block(a, &s.input, WaitInput, 0, 0)
	if d := s.Next(0); d.Thread != nil || !d.Input || s.Blocked(WaitInput) != 1 {
		t.Fatalf("input wait: %+v", d)
	}
	if s.WakeInput() != 1 || a.TF.PC != 0x1000 {
		t.Fatal("WakeInput did not wake the reader")
	}
	run(t, s, 0, a)
	// Timer: the timeout result, at the deadline and not before.
	s.Block(a, &q, WaitFutex, 500, 42)
	if d := s.Next(499); d.Thread != nil || d.Until != 500 {
		t.Fatalf("before the deadline: %+v", d)
	}
	run(t, s, 500, a)
	if a.TF.X[RegA0] != 42 || !q.Empty() || s.Blocked(WaitFutex) != 0 {
		t.Fatalf("timer wake: a0 %d, queue empty %v", a.TF.X[RegA0], q.Empty())
	}
	// Waking a thread that is not blocked does nothing.
	if s.Wake(a, sched.CauseWake, 1) {
		t.Error("woke a running thread")
	}
	want := []string{
		"1 Created>Ready spawn", "1 Ready>Running fetch", "1 Running>Blocked block", "1 Blocked>Ready wake",
		"1 Ready>Running fetch", "1 Running>Blocked block", "1 Blocked>Ready wake",
		"1 Ready>Running fetch", "1 Running>Blocked block", "1 Blocked>Ready uintr",
		"1 Ready>Running fetch", "1 Running>Blocked block", "1 Blocked>Ready timer", "1 Ready>Running fetch",
	}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Errorf("trace\n got %v\nwant %v", events, want)
	}
}

// TestSchedDeadlineOrder: sleepers wake in deadline order, equal
// deadlines in the order they blocked; an early wake leaves the heap
// consistent.
func TestSchedDeadlineOrder(t *testing.T) {
	s := &Sched{}
	p := bare(s, 1, 6)
	deadlines := []int64{30, 10, 20, 10, 50, 40}
	for i, th := range p.Threads {
		run(t, s, 0, th)
		s.Block(th, nil, WaitSleep, deadlines[i], uint64(i))
	}
	s.Wake(p.Threads[5], sched.CauseWake, 0) // 40 leaves early
	run(t, s, 0, p.Threads[5])
	s.Block(p.Threads[5], nil, WaitSleep, 0, 0) // (no deadline, no queue: woken by nobody)
	var order []int
	now := int64(0)
	for len(order) < 5 {
		d := s.Next(now)
		if d.Thread == nil {
			if d.Until <= now {
				t.Fatalf("idle until %d at %d", d.Until, now)
			}
			now = d.Until
			continue
		}
		order = append(order, int(d.Thread.TF.X[RegA0]))
		s.Block(d.Thread, nil, WaitSleep, 0, 0)
	}
	if fmt.Sprint(order) != "[1 3 2 0 4]" || now != 50 {
		t.Errorf("woke %v (until %d), want [1 3 2 0 4] by 50", order, now)
	}
}

// TestSchedDeadlock: a process whose threads all wait on futexes or
// epoll with no deadline is killed at the next decision; one that
// sleeps, waits for a pipe or for input is not.
func TestSchedDeadlock(t *testing.T) {
	s := &Sched{}
	stuck, sleeper, piped := bare(s, 1, 2), bare(s, 2, 2), bare(s, 3, 1)
	var q WaitQ
	block := func(th *Thread, w Wait, deadline int64) {
		t.Helper()
		run(t, s, 0, th)
		s.Block(th, &q, w, deadline, 0)
	}
	block(stuck.Threads[0], WaitFutex, 0)
	block(sleeper.Threads[0], WaitFutex, 0)
	block(piped.Threads[0], WaitPipe, 0)
	block(stuck.Threads[1], WaitPoll, 0)
	block(sleeper.Threads[1], WaitSleep, 1000)
	if d := s.Next(0); d.Thread != nil || d.Until != 1000 {
		t.Fatalf("decision %+v", d)
	}
	if !stuck.Exited || stuck.Status != 137 || stuck.Killed != "every thread blocked with no timeout (deadlock)" {
		t.Errorf("deadlocked process: exited %v status %d %q", stuck.Exited, stuck.Status, stuck.Killed)
	}
	if sleeper.Exited || piped.Exited {
		t.Errorf("killed a process that waits on time or others")
	}
	// The sleeper wakes, then blocks on a futex with no deadline: now
	// it is stuck too.
	d := s.Next(1000)
	if d.Thread != sleeper.Threads[1] {
		t.Fatalf("sleeper not woken: %+v", d)
	}
	s.Block(d.Thread, &q, WaitFutex, 0, 0)
	s.Next(1000)
	if !sleeper.Exited || piped.Exited {
		t.Errorf("sleeper exited %v, piped exited %v", sleeper.Exited, piped.Exited)
	}
	// Exiting the last thread that was not stuck leaves the rest stuck.
	p := bare(s, 4, 2)
	run(t, s, 0, p.Threads[0])
	s.Block(p.Threads[0], &q, WaitFutex, 0, 0)
	run(t, s, 0, p.Threads[1])
	s.exit(p.Threads[1])
	s.Next(0)
	if !p.Exited {
		t.Error("process with its only live thread stuck survived")
	}
}

// TestSchedTimeLimit: decisions before the limit hand out threads, from
// the limit on they report Expired; an idle decision waits no longer
// than the limit.
func TestSchedTimeLimit(t *testing.T) {
	s := &Sched{}
	p := bare(s, 1, 2)
	s.SetLimit(1000)
	run(t, s, 999, p.Threads[0])
	if d := s.Next(1000); !d.Expired || d.Thread != nil {
		t.Fatalf("at the limit: %+v", d)
	}
	s.SetLimit(5000)
	for range p.Threads {
		s.Block(s.Next(1000).Thread, nil, WaitSleep, 9000, 0)
	}
	if d := s.Next(1000); d.Thread != nil || d.Until != 5000 {
		t.Fatalf("idle decision %+v, want until the limit 5000", d)
	}
	s.SetLimit(0)
	if d := s.Next(1000); d.Until != 9000 {
		t.Fatalf("without a limit: %+v", d)
	}
}

// TestSchedTurns: processes take turns at every decision; inside one
// the lowest nice value runs first, equals in FIFO order.
func TestSchedTurns(t *testing.T) {
	s := &Sched{}
	a, b := bare(s, 1, 2), bare(s, 2, 1)
	a0, a1, b0 := a.Threads[0], a.Threads[1], b.Threads[0]
	var got []int
	for i := 0; i < 6; i++ {
		got = append(got, s.Next(0).Thread.TID)
	}
	if want := fmt.Sprint([]int{a0.TID, b0.TID, a1.TID, b0.TID, a0.TID, b0.TID}); fmt.Sprint(got) != want {
		t.Errorf("turns %v, want %v", got, want)
	}
	s.setNice(a1, -5)
	got = got[:0]
	for i := 0; i < 4; i++ {
		got = append(got, s.Next(0).Thread.TID)
	}
	if want := fmt.Sprint([]int{a1.TID, b0.TID, a1.TID, b0.TID}); fmt.Sprint(got) != want {
		t.Errorf("with nice -5: %v, want %v", got, want)
	}
	// An interrupt (preempt) puts the running thread back like a yield.
	d := s.Next(0)
	s.Yield(d.Thread, sched.CausePreempt)
	if d.Thread.State() != sched.Ready {
		t.Errorf("preempted thread %v", d.Thread.State())
	}
}

// BenchmarkSchedNext is the host cost of one decision (yield the
// current thread, look at the timer heap, fetch the next) with 1, 64
// and 1,000 threads blocked on futexes, pipes and sleep beside two
// ready threads.
func BenchmarkSchedNext(b *testing.B) {
	for _, blocked := range []int{1, 64, 1000} {
		b.Run(fmt.Sprint(blocked), func(b *testing.B) {
			s := &Sched{}
			busy := bare(s, 1, 2)
			idle := bare(s, 2, blocked)
			var q WaitQ
			for i, th := range idle.Threads {
				s.Block(th, &q, []Wait{WaitFutex, WaitPipe, WaitSleep}[i%3], int64(1e18)+int64(i), 0)
			}
			if busy.nReady != 2 || s.Blocked(WaitFutex)+s.Blocked(WaitPipe)+s.Blocked(WaitSleep) != blocked {
				b.Fatal("setup")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if s.Next(int64(i)).Thread == nil {
					b.Fatal("nothing ready")
				}
			}
		})
	}
}
