package executor

import (
	"testing"

	"copslab/sched"
)

const ms = 1_000_000

// TestConsoleEchoUnderLoad: three CPU-bound processes at priority 6 share
// the hart (a tick every millisecond); a key's interrupt wakes the console
// driver (priority 0), and the decision the kernel makes right after the
// interrupt's trap runs it: the echo happens within the same millisecond,
// far inside 10 ms, every time, and the three processes still get equal
// shares of the ticks.
func TestConsoleEchoUnderLoad(t *testing.T) {
	r := newRig(t, 3)
	for p := uint16(1); p <= 3; p++ {
		r.spawnUser(p, 6)
	}
	var echoed []uint64
	drv, err := r.x.NewDriver(0, func(now uint64) { echoed = append(echoed, now) })
	if err != nil {
		t.Fatal(err)
	}
	r.expect(r.decide(Wakeup), RunKernel, drv.ID()) // its first run only blocks it
	placed := map[uint16]int{}
	var keys []uint64
	for tick := 0; tick < 300; tick++ {
		r.now += ms - 100 // the process computes until the tick
		if tick%7 == 3 {
			r.now -= ms / 2 // a key arrives mid-quantum: its interrupt traps
			keys = append(keys, r.now)
			drv.Interrupt('k')
			for d := r.decide(Trap); d.Outcome == RunKernel; d = r.decide(Wakeup) {
			}
			r.now += ms / 2
		}
		if d := r.decide(Tick); d.Outcome == RunUser {
			placed[d.Proc]++
		} else {
			t.Fatalf("tick %d: %+v", tick, d)
		}
	}
	if len(echoed) != len(keys) || len(keys) != 43 {
		t.Fatalf("%d keys, %d echoes", len(keys), len(echoed))
	}
	for i := range keys {
		if lat := echoed[i] - keys[i]; lat > 10*ms || lat > ms {
			t.Fatalf("key %d echoed after %d ns", i, lat)
		}
	}
	if placed[1] != 100 || placed[2] != 100 || placed[3] != 100 {
		t.Fatalf("placements %v", placed)
	}
}

// TestTimersWakeInOrder: three kernel coroutines sleep until different
// deadlines; the tick wakes the timer queue, which wakes each at the
// first tick at or after its deadline, in deadline order.
func TestTimersWakeInOrder(t *testing.T) {
	r := newRig(t, 1)
	r.spawnUser(1, 5)
	tm, err := r.x.NewTimers(1)
	if err != nil {
		t.Fatal(err)
	}
	var woke []string
	sleeper := func(name string, after uint64) {
		slept := false
		r.x.Spawn(sched.KindKernelSyscall, 2, func(now uint64, id uint32) Action {
			if !slept {
				slept = true
				tm.Sleep(id, now+after)
				return Block
			}
			woke = append(woke, name)
			return Exit
		})
	}
	sleeper("c", 7*ms)
	sleeper("a", 2*ms)
	sleeper("b", 4*ms)
	deadlines := map[string]uint64{}
	for d := r.decide(Wakeup); d.Outcome == RunKernel; d = r.decide(Wakeup) {
	}
	start := r.now
	for _, n := range []string{"a", "b", "c"} {
		deadlines[n] = start
	}
	if tm.Next() == 0 {
		t.Fatal("no deadline pending")
	}
	for tick := 1; tick <= 10; tick++ {
		r.now = start + uint64(tick)*ms
		tm.Tick(r.now)
		for d := r.decide(Tick); d.Outcome == RunKernel; d = r.decide(Wakeup) {
		}
		if tick == 3 && (len(woke) != 1 || woke[0] != "a") {
			t.Fatalf("after 3 ms: %v", woke)
		}
	}
	if len(woke) != 3 || woke[0] != "a" || woke[1] != "b" || woke[2] != "c" || tm.Next() != 0 {
		t.Fatalf("woke %v, next %d", woke, tm.Next())
	}
}

// TestReaper: an exited process and a killed one are both released once,
// their slots freed; the other process keeps running.
func TestReaper(t *testing.T) {
	r := newRig(t, 3)
	for p := uint16(1); p <= 3; p++ {
		r.spawnUser(p, 3)
	}
	released := map[uint16]int{}
	rp, err := r.x.NewReaper(1, func(p uint16) { released[p]++ })
	if err != nil {
		t.Fatal(err)
	}
	r.x.OnKill = func(k Kill) { rp.Exited(k.Proc) }
	for d := r.decide(Wakeup); d.Outcome == RunKernel; d = r.decide(Wakeup) {
	}
	rp.Exited(1) // process 1 called exit
	r.ls[2].Cur = 999
	r.x.ReadAllEvery = 0 // read at the next decision though Seq did not move
	for i := 0; i < 10; i++ {
		r.decide(Tick)
	}
	if released[1] != 1 || released[2] != 1 || len(released) != 2 {
		t.Fatalf("released %v", released)
	}
	if r.g.Procs[1].Flags != 0 || r.g.Procs[2].Flags != 0 || r.g.Procs[3].Flags&sched.ProcUsed == 0 {
		t.Fatal("slots not freed, or the survivor was")
	}
	if d := r.decide(Tick); d.Outcome != RunUser || d.Proc != 3 {
		t.Fatalf("survivor not placed: %+v", d)
	}
}

// TestWakeWhileRunning: a wake-up that arrives while the coroutine's step
// runs is not lost: the step's Block becomes a Yield and it runs again.
func TestWakeWhileRunning(t *testing.T) {
	r := newRig(t, 0)
	runs := 0
	var id uint32
	id, _ = r.x.Spawn(sched.KindKernelSyscall, 2, func(uint64, uint32) Action {
		runs++
		if runs == 1 {
			r.x.Wake(id, sched.CauseWake, 0) // the interrupt fires during the step
		}
		return Block
	})
	for d := r.decide(Wakeup); d.Outcome == RunKernel; d = r.decide(Wakeup) {
	}
	if runs != 2 {
		t.Fatalf("ran %d times, want 2 (the wake-up during the first run was lost)", runs)
	}
	if st, _ := r.kl.StateOf(id); st != sched.Blocked {
		t.Fatalf("state %v", st)
	}
}

// TestDriverInterruptedBeforeItsFirstRun: a driver spawned just as its
// first interrupt is due (the kernel's timer queue is spawned at the
// first due deadline) does the work in its first run instead of only
// blocking, so that interrupt is not lost; a driver not interrupted
// before its first run only blocks then.
func TestDriverInterruptedBeforeItsFirstRun(t *testing.T) {
	r := newRig(t, 1)
	runs := 0
	drv, err := r.x.NewDriver(1, func(uint64) { runs++ })
	if err != nil {
		t.Fatal(err)
	}
	drv.Interrupt(0)
	r.expect(r.decide(Wakeup), RunKernel, drv.ID())
	if runs != 1 {
		t.Fatalf("%d runs of the work after an interrupt before the first run, want 1", runs)
	}
	quiet, _ := r.x.NewDriver(2, func(uint64) { runs++ })
	r.expect(r.decide(Wakeup), RunKernel, quiet.ID())
	if runs != 1 {
		t.Fatalf("the first run of a driver nobody interrupted did the work (%d runs)", runs)
	}
	quiet.Interrupt(0)
	r.expect(r.decide(Wakeup), RunKernel, quiet.ID())
	if runs != 2 {
		t.Fatalf("%d runs after the quiet driver's interrupt, want 2", runs)
	}
}
