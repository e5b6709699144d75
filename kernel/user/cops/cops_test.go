package cops

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"copslab/sched"
)

// On the host (Linux, no copslab vDSO, no AT_COPS_LOCAL) the executor
// runs the program's own copy of the scheduler on a Local in its own
// memory: the same logic the guest runs through the vDSO
// (kernel/copsuser_test.go boots that).

func newEx(t *testing.T) *Executor {
	t.Helper()
	ex, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ex.Source(), "own memory") || !strings.Contains(ex.Source(), codeDirect) {
		t.Fatalf("source on the host: %q", ex.Source())
	}
	return ex
}

// TestPriorityOrder: coroutines spawned from worst to best priority run
// best first, and FIFO within one priority, also after yielding.
func TestPriorityOrder(t *testing.T) {
	ex := newEx(t)
	var got []string
	for p := 7; p >= 0; p-- {
		for k := range 2 {
			name := fmt.Sprintf("%d%c", p, 'a'+k)
			if _, err := ex.Spawn(uint8(p), func(c *Co) {
				got = append(got, name)
				c.Yield()
				got = append(got, name+"'")
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for p := 0; p <= 7; p++ {
		want = append(want, fmt.Sprintf("%da", p), fmt.Sprintf("%db", p), fmt.Sprintf("%da'", p), fmt.Sprintf("%db'", p))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
	if n := ex.Local().Live; n != 0 {
		t.Errorf("%d coroutines live in the Local after Run", n)
	}
}

// TestAwaitNotify: a high-priority coroutine awaits an event a
// low-priority one fires; the waiter runs at the notifier's next switch,
// before the notifier's own continuation. Step coroutines mix in.
func TestAwaitNotify(t *testing.T) {
	ex := newEx(t)
	ev := ex.NewEvent()
	var got []string
	ex.Spawn(1, func(c *Co) {
		got = append(got, "wait")
		c.Await(ev)
		got = append(got, "woken")
	})
	ex.Spawn(6, func(c *Co) {
		got = append(got, "notify")
		if err := c.Notify(ev); err != nil {
			t.Error(err)
		}
		c.Yield()
		got = append(got, "after")
	})
	n := 0
	ex.SpawnStep(4, func(c *Co) Action {
		n++
		got = append(got, fmt.Sprintf("step%d", n))
		if n == 2 {
			return Done
		}
		return Yield
	})
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"wait", "step1", "step2", "notify", "woken", "after"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

// TestFiredBeforeAwait: a firing with no waiter is kept for the next
// Await (which returns at once), for Spawn and SpawnStep coroutines.
func TestFiredBeforeAwait(t *testing.T) {
	ex := newEx(t)
	ev, ev2 := ex.NewEvent(), ex.NewEvent()
	var got []string
	ex.Spawn(0, func(c *Co) {
		c.Notify(ev)
		c.Notify(ev2)
		c.Await(ev)
		got = append(got, "through")
	})
	steps := 0
	ex.SpawnStep(2, func(c *Co) Action {
		steps++
		if steps == 1 {
			return Await(ev2)
		}
		got = append(got, "step through")
		return Done
	})
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"through", "step through"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if ex.Sleeps() != 0 {
		t.Errorf("the executor slept %d times with work ready", ex.Sleeps())
	}
}

// awaiter spawns a coroutine at prio that awaits n events in turn and
// counts its wake-ups.
func awaiter(ex *Executor, prio uint8, n int) (evs []*Event, woken *int) {
	evs = make([]*Event, n)
	for i := range evs {
		evs[i] = ex.NewEvent()
	}
	woken = new(int)
	ex.Spawn(prio, func(c *Co) {
		for _, ev := range evs {
			c.Await(ev)
			*woken++
		}
	})
	return evs, woken
}

// TestPostWakesSleepingExecutor: with every coroutine blocked the
// executor sleeps in the kernel (futex); a Post from another goroutine
// makes the waiter ready in the Local and wakes it. 200 rounds.
func TestPostWakesSleepingExecutor(t *testing.T) {
	ex := newEx(t)
	const rounds = 200
	evs, woken := awaiter(ex, 2, rounds)
	errs := make(chan error, 1)
	go func() {
		for _, ev := range evs {
			for !ex.Idle() { // until the executor sleeps
				runtime.Gosched()
			}
			if err := ev.Post(); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if *woken != rounds || ex.Sleeps() < rounds {
		t.Errorf("woken %d times, slept %d times; want %d and at least %d", *woken, ex.Sleeps(), rounds, rounds)
	}
}

// TestPostRace: posts from another goroutine race with the executor
// (no waiting for it to sleep): none is lost.
func TestPostRace(t *testing.T) {
	ex := newEx(t)
	const rounds = 2000
	evs, woken := awaiter(ex, 3, rounds)
	ex.SpawnStep(3, func(c *Co) Action { // busy neighbour: yields a while
		if *woken == rounds {
			return Done
		}
		return Yield
	})
	go func() {
		for _, ev := range evs {
			ev.Post()
		}
	}()
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if *woken != rounds {
		t.Errorf("woken %d times, want %d", *woken, rounds)
	}
}

// TestSetPrioSeenByKernel: a priority change is a write into the Local;
// the kernel's reader (sched.Global.Sample, what the kernel runs at each
// decision) sees the process's new best priority with no call from the
// program.
func TestSetPrioSeenByKernel(t *testing.T) {
	ex := newEx(t)
	var g sched.Global
	g.Init()
	tag := sched.LockTag(0, false)
	g.TryLock(tag)
	if e := g.AddProc(ownProc); e != sched.OK {
		t.Fatal(e)
	}
	sample := func() uint8 {
		if f, e := g.Sample(ownProc, ex.Local()); e != sched.OK || f.Code != 0 {
			t.Fatalf("sample: %v %v", e, f)
		}
		return g.ProcPrio[ownProc]
	}
	var seen []uint8
	var other *Co
	ex.Spawn(5, func(c *Co) {
		seen = append(seen, sample()) // itself running at 5, the other ready at 6
		if err := other.SetPrio(2); err != nil {
			t.Error(err)
		}
		seen = append(seen, sample())
		if err := c.SetPrio(1); err != nil {
			t.Error(err)
		}
		seen = append(seen, sample())
		if err := c.SetPrio(9); err == nil {
			t.Error("priority 9 accepted")
		}
	})
	other, _ = ex.Spawn(6, func(c *Co) {})
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if want := []uint8{5, 2, 1}; !reflect.DeepEqual(seen, want) {
		t.Errorf("kernel saw %v, want %v", seen, want)
	}
	if p := sample(); p != sched.Idle {
		t.Errorf("after Run the kernel sees priority %d, want idle", p)
	}
}

// TestSpawnErrors: a bad priority and a full Local are errors, and
// nothing is left behind.
func TestSpawnErrors(t *testing.T) {
	ex := newEx(t)
	if _, err := ex.Spawn(8, func(*Co) {}); err == nil {
		t.Error("priority 8 accepted")
	}
	n := 0
	for ; n < sched.LocalCos+1; n++ {
		if _, err := ex.SpawnStep(7, func(*Co) Action { return Done }); err != nil {
			if !strings.Contains(err.Error(), "no free coroutine slot") {
				t.Errorf("spawn %d: %v", n, err)
			}
			break
		}
	}
	if n != sched.LocalCos-1 { // the Local's slot 0 is never handed out
		t.Logf("%d coroutines fit", n)
	}
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if ex.Local().Live != 0 {
		t.Errorf("%d live after Run", ex.Local().Live)
	}
}

// TestStepCannotYield: a step function that calls Yield or Await (it has
// no stack to come back to) panics with a message saying what to return.
func TestStepCannotYield(t *testing.T) {
	for _, call := range []func(c *Co, ev *Event){
		func(c *Co, ev *Event) { c.Yield() },
		func(c *Co, ev *Event) { c.Await(ev) },
	} {
		ex := newEx(t)
		ev := ex.NewEvent()
		ex.SpawnStep(1, func(c *Co) Action { call(c, ev); return Done })
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "is a step function") {
					t.Errorf("panic %v", r)
				}
			}()
			ex.Run()
		}()
	}
}

// TestPostAll: eight coroutines (spawned worst priority first) await
// their events; another goroutine fires all eight at once while the
// executor sleeps: they run best priority first. Events of another
// executor are refused.
func TestPostAll(t *testing.T) {
	ex := newEx(t)
	var evs []*Event
	var got []uint8
	for p := 7; p >= 0; p-- {
		ev := ex.NewEvent()
		evs = append(evs, ev)
		ex.Spawn(uint8(p), func(c *Co) {
			c.Await(ev)
			got = append(got, c.Prio())
		})
	}
	errs := make(chan error, 1)
	go func() {
		for !ex.Idle() {
			runtime.Gosched()
		}
		errs <- PostAll(evs...)
	}()
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if want := []uint8{0, 1, 2, 3, 4, 5, 6, 7}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	other := newEx(t)
	if err := PostAll(ex.NewEvent(), other.NewEvent()); err == nil {
		t.Error("events of two executors accepted")
	}
}

// TestTwoExecutors: a coroutine of one executor notifies an event of
// another, which sleeps in the kernel on its own thread: it is woken (the
// Notify becomes a Post). Awaiting another executor's event panics.
func TestTwoExecutors(t *testing.T) {
	a, b := newEx(t), newEx(t)
	ev := b.NewEvent()
	woken := false
	b.Spawn(1, func(c *Co) { c.Await(ev); woken = true })
	done := make(chan error, 1)
	go func() { done <- b.Run() }()
	a.Spawn(1, func(c *Co) {
		for !b.Idle() {
			runtime.Gosched()
		}
		if err := c.Notify(ev); err != nil {
			t.Error(err)
		}
	})
	if err := a.Run(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil || !woken {
		t.Fatalf("b: %v, woken %v", err, woken)
	}
	other := b.NewEvent()
	a.Spawn(1, func(c *Co) {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "another executor") {
				t.Errorf("panic %v", r)
			}
		}()
		c.Await(other)
	})
	if err := a.Run(); err != nil {
		t.Fatal(err)
	}
}

// TestLockTag: the executor's constant owner tag is sched's user tag.
func TestLockTag(t *testing.T) {
	if want := sched.LockTag(0, true); lockTag != want {
		t.Fatalf("lockTag = %#x, sched.LockTag(0, true) = %#x", lockTag, want)
	}
}

// TestSpawnWaker: a spawn's event names the spawning coroutine as its
// waker (the Local's current one), and no waker for a spawn before Run.
func TestSpawnWaker(t *testing.T) {
	ex := newEx(t)
	var child *Co
	parent, err := ex.SpawnStep(3, func(c *Co) Action {
		if child == nil {
			var err error
			if child, err = ex.SpawnStep(4, func(*Co) Action { return Done }); err != nil {
				t.Error(err)
				return Done
			}
		}
		return Done
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	wakers := map[uint32]uint32{}
	l := ex.Local()
	for s := l.Tail; s != l.Seq; s++ {
		if e := l.Ring[s%sched.LocalRing]; e.Cause == sched.CauseSpawn {
			wakers[e.Co] = e.Waker
		}
	}
	if child == nil || wakers[parent.ID()] != sched.NoWaker || wakers[child.ID()] != parent.ID() {
		t.Fatalf("spawn wakers %#v (parent %#x)", wakers, parent.ID())
	}
}
