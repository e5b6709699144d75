package executor

import (
	"math/rand"
	"strings"
	"testing"

	"copslab/sched"
)

const all = ^uint64(0)

// rig is an executor over n user processes with a clock that advances
// 100 ns per reading.
type rig struct {
	t   *testing.T
	x   *Executor
	g   *sched.Global
	kl  *sched.Local
	ls  []sched.Local
	now uint64
}

func newRig(t *testing.T, n int) *rig {
	r := &rig{t: t, g: new(sched.Global), kl: new(sched.Local), ls: make([]sched.Local, n+1)}
	x, err := New(r.g, r.kl, func() uint64 { r.now += 100; return r.now })
	if err != nil {
		t.Fatal(err)
	}
	r.x = x
	for p := 1; p <= n; p++ {
		if err := x.AddProc(uint16(p), &r.ls[p]); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// user runs f on process p's Local with its lock held, as the process
// would through the vDSO.
func (r *rig) user(p uint16, f func(l *sched.Local)) {
	l := &r.ls[p]
	tag := sched.LockTag(1, true)
	if !l.TryLock(tag) {
		r.t.Fatal("user lock busy")
	}
	f(l)
	l.Unlock(tag)
}

// spawnUser gives process p a Running coroutine at prio.
func (r *rig) spawnUser(p uint16, prio uint8) uint32 {
	var id uint32
	r.user(p, func(l *sched.Local) {
		id, _ = l.Spawn(sched.Ctx{Now: r.now}, sched.KindUser, prio, sched.NoWaker)
		if l.Current() == sched.NoCo {
			l.Fetch(sched.Ctx{Now: r.now})
		}
	})
	return id
}

func (r *rig) decide(why Reason) Decision {
	r.t.Helper()
	return r.x.Decide(0, all, why)
}

func (r *rig) expect(d Decision, out Outcome, who uint32) {
	r.t.Helper()
	got := uint32(d.Proc)
	if out == RunKernel {
		got = d.Co
	}
	if d.Outcome != out || (out != Idle && got != who) {
		r.t.Fatalf("decision %+v, want outcome %d for %#x", d, out, who)
	}
}

// TestKernelCoroutinePreempts: a console driver coroutine at priority 0
// runs before a process at priority 3 as soon as it is woken (the next
// trap or tick), then the process gets the hart back; a kernel coroutine
// at priority 5 waits while the process has work.
func TestKernelCoroutinePreempts(t *testing.T) {
	r := newRig(t, 1)
	r.expect(r.decide(Wakeup), Idle, 0)
	r.spawnUser(1, 3)
	r.expect(r.decide(Wakeup), RunUser, 1)
	runs := 0
	drv, err := r.x.Spawn(sched.KindKernelSyscall, 0, func(uint64, uint32) Action { runs++; return Block })
	if err != nil {
		t.Fatal(err)
	}
	r.expect(r.decide(Trap), RunKernel, drv)
	r.expect(r.decide(Wakeup), RunUser, 1)
	r.expect(r.decide(Tick), RunUser, 1)
	if err := r.x.Wake(drv, sched.CauseWake, 'k'); err != nil {
		t.Fatal(err)
	}
	r.expect(r.decide(Trap), RunKernel, drv)
	if r.g.HartProc[0] != sched.NoProc {
		t.Fatal("the process kept the hart while kernel work ran")
	}
	r.expect(r.decide(Wakeup), RunUser, 1)
	low, _ := r.x.Spawn(sched.KindKernelSyscall, 5, func(uint64, uint32) Action { return Exit })
	for i := 0; i < 3; i++ {
		r.expect(r.decide(Tick), RunUser, 1)
	}
	r.user(1, func(l *sched.Local) { l.Block(sched.Ctx{}, l.Current(), 0) })
	r.expect(r.decide(Trap), RunKernel, low)
	r.expect(r.decide(Wakeup), Idle, 0)
	if runs != 2 {
		t.Fatalf("driver ran %d times, want 2", runs)
	}
}

// TestFairWithKernelWork: three processes at priority 2 share the hart
// equally at ticks while a kernel coroutine of the same priority runs
// between placements.
func TestFairWithKernelWork(t *testing.T) {
	r := newRig(t, 4)
	for p := uint16(1); p <= 3; p++ {
		r.spawnUser(p, 2)
	}
	r.spawnUser(4, 6)
	kruns := 0
	r.x.Spawn(sched.KindKernelSyscall, 2, func(uint64, uint32) Action { kruns++; return Yield })
	count := map[uint16]int{}
	for i := 0; i < 600; i++ {
		d := r.decide(Tick)
		if d.Outcome == RunUser {
			count[d.Proc]++
		}
	}
	if count[1] != count[2] || count[2] != count[3] || count[1] < 100 || count[4] != 0 {
		t.Fatalf("placements %v (kernel steps %d)", count, kruns)
	}
	if kruns < 200 {
		t.Fatalf("kernel coroutine ran %d times in 600 ticks", kruns)
	}
}

// TestScribblerKilled: a process that writes random bytes over its own
// Local is killed with a message naming it; the other two keep running
// and the kernel's state stays decodable.
func TestScribblerKilled(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		r := newRig(t, 3)
		r.x.ReadAllEvery = 0 // every decision reads every Local (a scribble may leave Seq alone)
		for p := uint16(1); p <= 3; p++ {
			r.spawnUser(p, 4)
		}
		for i := 0; i < 6; i++ {
			r.decide(Tick)
		}
		b := r.ls[2].Bytes()
		placed := map[uint16]int{}
		for i := 0; i < 300 && len(r.x.Kills) == 0; i++ {
			b[rng.Intn(sched.OffCos+8*sched.CBSize)] = byte(rng.Intn(256))
			if d := r.decide(Tick); d.Outcome == RunUser {
				placed[d.Proc]++
			}
		}
		if len(r.x.Kills) != 1 || r.x.Kills[0].Proc != 2 || !strings.HasPrefix(r.x.Kills[0].Msg, "process 2: scheduler state corrupt at byte ") {
			t.Fatalf("round %d: kills %+v", round, r.x.Kills)
		}
		placed = map[uint16]int{}
		for i := 0; i < 60; i++ {
			if d := r.decide(Tick); d.Outcome == RunUser {
				placed[d.Proc]++
			}
		}
		if placed[2] != 0 || placed[1] != 30 || placed[3] != 30 || r.g.Procs[2].Flags != 0 {
			t.Fatalf("round %d: after the kill %v", round, placed)
		}
		if len(r.x.Kills) != 1 {
			t.Fatalf("round %d: more kills %+v", round, r.x.Kills)
		}
	}
}

// TestTraceHasEveryPlacement drains the trace after a run: sequence
// numbers are consecutive, times never go back, every RunUser decision
// that changed the hart's process appears as a CausePlace event naming
// it, and every kernel step as fetch + its action.
func TestTraceHasEveryPlacement(t *testing.T) {
	r := newRig(t, 2)
	r.spawnUser(1, 1)
	r.spawnUser(2, 1)
	drv, _ := r.x.Spawn(sched.KindKernelSyscall, 0, func(uint64, uint32) Action { return Block })
	var want []uint64 // placement args in order
	last := sched.NoProc
	for i := 0; i < 40; i++ {
		if i%7 == 3 {
			r.x.Wake(drv, sched.CauseWake, 0)
		}
		d := r.decide(Tick)
		switch d.Outcome {
		case RunUser:
			if d.Proc != last {
				want = append(want, uint64(d.Proc))
			}
			last = d.Proc
		case RunKernel:
			if last != sched.NoProc {
				want = append(want, uint64(sched.NoProc))
			}
			last = sched.NoProc
		}
	}
	evs := make([]sched.Event, sched.RingSize)
	n := r.x.Drain(evs)
	var got []uint64
	for i, e := range evs[:n] {
		if e.Seq != uint64(i) || (i > 0 && e.Time < evs[i-1].Time) {
			t.Fatalf("event %d: seq %d time %d", i, e.Seq, e.Time)
		}
		if e.Cause == sched.CausePlace {
			if e.Co != r.x.Scheduler() || e.Kind != sched.KindKernelScheduler {
				t.Fatalf("placement by %#x kind %v", e.Co, e.Kind)
			}
			got = append(got, e.Arg)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("placements %v, decisions %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("placements %v, decisions %v", got, want)
		}
	}
	if lost, full := r.x.Losses(); lost != 0 || full != 0 {
		t.Fatalf("losses %d %d", lost, full)
	}
}

// TestLossesCounted: a process that records more events than its ring
// holds between two decisions loses the oldest; the executor counts them.
func TestLossesCounted(t *testing.T) {
	r := newRig(t, 1)
	r.spawnUser(1, 3)
	r.decide(Tick)
	r.user(1, func(l *sched.Local) {
		for i := 0; i < sched.LocalRing+5; i++ {
			id := l.Current()
			l.Yield(sched.Ctx{}, id)
			l.Fetch(sched.Ctx{})
		}
	})
	r.decide(Tick)
	if lost, _ := r.x.Losses(); lost != sched.LocalRing+10 {
		t.Fatalf("lost %d, want %d", lost, sched.LocalRing+10)
	}
}

// TestThreadOnlyProcess: a process without a Local competes with the
// priority the kernel derives from its threads' nice values.
func TestThreadOnlyProcess(t *testing.T) {
	r := newRig(t, 1)
	if err := r.x.AddProc(2, nil); err != nil {
		t.Fatal(err)
	}
	r.spawnUser(1, 4)
	r.expect(r.decide(Tick), RunUser, 1)
	if err := r.x.SetThreadPrio(2, sched.PrioOfNice(-10)); err != nil { // priority 2
		t.Fatal(err)
	}
	r.expect(r.decide(Trap), RunUser, 2)
	r.x.SetThreadPrio(2, sched.Idle) // its threads block
	r.expect(r.decide(Trap), RunUser, 1)
	if err := r.x.SetThreadPrio(1, 3); err == nil {
		t.Fatal("SetThreadPrio accepted a process with a Local")
	}
	if err := r.x.RemoveProc(2); err != nil || r.g.Procs[2].Flags != 0 {
		t.Fatalf("remove: %v", err)
	}
}

// TestBestCoroutineAndPriorityChange: of two processes, the one holding
// the best ready coroutine runs first; a priority change the other makes
// in its own Local — plain memory writes, no call into the kernel — decides
// the very next placement.
func TestBestCoroutineAndPriorityChange(t *testing.T) {
	r := newRig(t, 2)
	r.spawnUser(1, 5)
	var low uint32
	r.user(2, func(l *sched.Local) {
		l.Spawn(sched.Ctx{}, sched.KindUser, 6, sched.NoWaker)
		low, _ = l.Spawn(sched.Ctx{}, sched.KindUser, 7, sched.NoWaker)
	})
	r.user(2, func(l *sched.Local) { l.Spawn(sched.Ctx{}, sched.KindUser, 2, sched.NoWaker) })
	r.expect(r.decide(Wakeup), RunUser, 2) // its ready coroutine at 2 beats process 1's running 5
	r.user(2, func(l *sched.Local) {
		for id, e := l.Fetch(sched.Ctx{}); e == sched.OK; id, e = l.Fetch(sched.Ctx{}) {
			l.Exit(sched.Ctx{}, id) // runs its p2 and p6 coroutines to the end; p7 stays ready
			if l.Prio() == 7 {
				break
			}
		}
	})
	r.expect(r.decide(Trap), RunUser, 1) // now 5 beats 7
	r.user(2, func(l *sched.Local) { l.SetPrio(sched.Ctx{}, low, 0) })
	r.expect(r.decide(Trap), RunUser, 2) // the change alone moved the next placement
}

// TestRunnableGate: a process with a Local on a kernel of threads runs
// by its best coroutine, else by its threads' priority, and not at all
// while no thread of it can run, whatever its Local says; a process with
// no runnable thread is not even sampled (its corruption is found once
// it can run again).
func TestRunnableGate(t *testing.T) {
	r := newRig(t, 2)
	r.x.SetRunnable(1, 4) // threads only so far (no coroutine)
	r.x.SetRunnable(2, 6)
	r.expect(r.decide(Wakeup), RunUser, 1)
	r.spawnUser(2, 1) // a coroutine at 1 beats process 1's threads at 4
	r.expect(r.decide(Trap), RunUser, 2)
	r.x.SetRunnable(2, sched.Idle) // every thread of process 2 blocks
	r.expect(r.decide(Trap), RunUser, 1)
	r.ls[2].Magic ^= 1 // corrupt, but not runnable: not sampled
	r.expect(r.decide(Tick), RunUser, 1)
	if len(r.x.Kills) != 0 {
		t.Fatalf("killed %v while it could not run", r.x.Kills)
	}
	r.x.SetRunnable(2, 6)
	r.expect(r.decide(Trap), RunUser, 1)
	if len(r.x.Kills) != 1 || r.x.Kills[0].Proc != 2 {
		t.Fatalf("kills %v, want process 2 once it can run", r.x.Kills)
	}
	if err := r.x.SetRunnable(2, 3); err == nil {
		t.Fatal("SetRunnable accepted a process that was dropped")
	}
	if err := r.x.SetRunnable(1, 9); err == nil {
		t.Fatal("SetRunnable accepted priority 9")
	}
}

// TestShutdown: every kernel coroutine, blocked, ready or the scheduler
// itself, ends with real transitions into Exited.
func TestShutdown(t *testing.T) {
	r := newRig(t, 1)
	blocked, _ := r.x.Spawn(sched.KindKernelSyscall, 0, func(uint64, uint32) Action { return Block })
	r.x.Spawn(sched.KindKernelSyscall, 3, func(uint64, uint32) Action { return Yield })
	r.expect(r.decide(Wakeup), RunKernel, blocked) // it blocks
	r.x.Shutdown()
	for i := range r.kl.Cos {
		if st := r.kl.Cos[i].State; st != sched.Created && st != sched.Exited {
			t.Errorf("kernel coroutine %#x %v after shutdown", r.kl.Cos[i].ID, st)
		}
	}
	ev := make([]sched.Event, 256)
	n := r.x.Drain(ev)
	exits := 0
	for _, e := range ev[:n] {
		if e.To == sched.Exited {
			exits++
		}
	}
	if exits != 3 {
		t.Fatalf("%d exits recorded, want 3 (scheduler, blocked, ready)", exits)
	}
}

// TestSampleWhatMoved: a Local is read again when its Seq moved — any
// change through its operations — and every ReadAllEvery whatever its
// Seq says; so a change made by the process's operations counts at the
// very next decision, and a scribble that leaves Seq alone is found
// within ReadAllEvery (until then it hurts nobody: the kernel does not
// read it).
func TestSampleWhatMoved(t *testing.T) {
	r := newRig(t, 2)
	r.spawnUser(1, 3)
	c2 := r.spawnUser(2, 5)
	r.expect(r.decide(Wakeup), RunUser, 1)
	r.user(2, func(l *sched.Local) { l.SetPrio(sched.Ctx{}, c2, 1) }) // Seq moves
	r.expect(r.decide(Trap), RunUser, 2)
	r.ls[1].Magic ^= 1 // Seq does not move
	r.expect(r.decide(Trap), RunUser, 2)
	if len(r.x.Kills) != 0 {
		t.Fatalf("a Local was read though its Seq did not move: %v", r.x.Kills)
	}
	r.now += DefaultReadAllEvery
	r.decide(Trap)
	if len(r.x.Kills) != 1 || r.x.Kills[0].Proc != 1 {
		t.Fatalf("kills %v, want process 1 once ReadAllEvery passed", r.x.Kills)
	}
}

// TestPlacementIsOneEvent: when the scheduler coroutine is alone in the
// best ready queue of the kernel's Local, a placement records one event
// (its CausePlace marker) — no fetch and yield around it — and leaves the
// kernel's queues as they were; with a kernel coroutine of the same
// priority ready, it takes its turn in FIFO order (fetch, place, yield).
func TestPlacementIsOneEvent(t *testing.T) {
	r := newRig(t, 2)
	r.spawnUser(1, 3)
	r.spawnUser(2, 3)
	r.expect(r.decide(Wakeup), RunUser, 1)
	evs := make([]sched.Event, 64)
	for r.x.Drain(evs) == len(evs) {
	}
	r.expect(r.decide(Tick), RunUser, 2)
	n := r.x.Drain(evs)
	var kernel []sched.Event
	for _, e := range evs[:n] {
		if e.Proc == 0 {
			kernel = append(kernel, e)
		}
	}
	if len(kernel) != 1 || kernel[0].Cause != sched.CausePlace || kernel[0].Arg != 2 || kernel[0].From != sched.Ready || kernel[0].To != sched.Ready {
		t.Fatalf("kernel events of a placement: %+v, want one CausePlace of process 2", kernel)
	}
	k, _ := r.x.Spawn(sched.KindKernelSyscall, 3, func(uint64, uint32) Action { return Block })
	r.expect(r.decide(Tick), RunUser, 1)   // the scheduler coroutine was first in the queue
	r.expect(r.decide(Tick), RunKernel, k) // then k: it yielded behind k
	r.expect(r.decide(Wakeup), RunUser, 2)
}

// TestSleepingProcessEventsCollected: the events a process records just
// before its last thread goes to sleep (a coroutine blocking in an async
// call) reach the trace at the next decision, not when it can run again
// — the process is not sampled meanwhile, but its new events are
// collected.
func TestSleepingProcessEventsCollected(t *testing.T) {
	r := newRig(t, 2)
	r.spawnUser(1, 4)
	c2 := r.spawnUser(2, 3)
	r.x.SetRunnable(1, 4)
	r.x.SetRunnable(2, 4)
	r.expect(r.decide(Wakeup), RunUser, 2)
	evs := make([]sched.Event, 64)
	for r.x.Drain(evs) == len(evs) {
	}
	r.user(2, func(l *sched.Local) { l.Block(sched.Ctx{Now: r.now}, c2, 77) })
	r.x.SetRunnable(2, sched.Idle) // its thread sleeps
	r.expect(r.decide(Trap), RunUser, 1)
	n := r.x.Drain(evs)
	found := false
	for _, e := range evs[:n] {
		if e.Proc == 2 && e.Co == c2 && e.To == sched.Blocked && e.Arg == 77 {
			found = true
		}
	}
	if !found {
		t.Fatalf("process 2's block is not in the trace after the decision: %+v", evs[:n])
	}
}
