package co

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"copslab/sched"
)

func TestPriorityOrderAndYield(t *testing.T) {
	ex := New()
	var log []string
	add := func(name string, prio uint8, turns int) {
		if _, err := ex.Spawn(prio, func(c *Co) {
			for i := 0; i < turns; i++ {
				log = append(log, name)
				c.Yield()
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	add("low", 6, 2)
	add("a", 1, 2)
	add("b", 1, 2)
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "b", "a", "b", "low", "low"}
	if !slices.Equal(log, want) {
		t.Fatalf("ran %v, want %v", log, want)
	}
	if ex.Region().LiveCos() != 0 {
		t.Fatalf("%d coroutines left in the region", ex.Region().LiveCos())
	}
}

func TestAwaitNotifyAndSpawnFromCoroutine(t *testing.T) {
	ex := New()
	sig := ex.NewSignal()
	var log []string
	var waiterID uint32
	ex.Spawn(2, func(c *Co) {
		waiterID = c.ID()
		log = append(log, "wait")
		c.Await(sig)
		log = append(log, "woken")
	})
	ex.Spawn(5, func(c *Co) {
		log = append(log, "notify")
		if err := sig.Notify(); err != nil {
			t.Error(err)
		}
		ex.Spawn(0, func(*Co) { log = append(log, "child") })
		c.Yield()
		log = append(log, "notifier done")
	})
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"wait", "notify", "child", "woken", "notifier done"}
	if !slices.Equal(log, want) {
		t.Fatalf("ran %v, want %v", log, want)
	}
	s, err := ex.Region().Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var causes []sched.Cause
	for _, e := range s.Events {
		if e.Co == waiterID {
			causes = append(causes, e.Cause)
		}
	}
	wantC := []sched.Cause{sched.CauseSpawn, sched.CauseFetch, sched.CauseBlock, sched.CauseWake, sched.CauseFetch, sched.CauseExit}
	if !slices.Equal(causes, wantC) {
		t.Fatalf("waiter's events %v, want %v", causes, wantC)
	}
}

func TestPostFromAnotherGoroutine(t *testing.T) {
	ex := New()
	sig := ex.NewSignal()
	done := false
	ex.Spawn(0, func(c *Co) {
		go sig.Post()
		c.Await(sig)
		done = true
	})
	if err := ex.Run(); err != nil || !done {
		t.Fatalf("run: %v, done %v", err, done)
	}
	s, _ := ex.Region().Snapshot()
	found := false
	for _, e := range s.Events {
		found = found || e.Cause == sched.CauseUintr
	}
	if !found {
		t.Fatal("no CauseUintr wake recorded for the Post")
	}
}

func TestDeadlockReported(t *testing.T) {
	ex := New()
	ex.Spawn(0, func(c *Co) { c.Await(ex.NewSignal()) })
	if err := ex.RunUntilIdle(); !errors.Is(err, ErrDeadlock) {
		t.Fatalf("got %v, want ErrDeadlock", err)
	}
}

func TestBadPriority(t *testing.T) {
	if _, err := New().Spawn(8, func(*Co) {}); !errors.Is(err, sched.ErrBadPrio) {
		t.Fatalf("got %v", err)
	}
}

func TestStepFunctionsMixWithPull(t *testing.T) {
	ex := New()
	sig := ex.NewSignal()
	var log []string
	state := 0
	ex.SpawnFunc(1, func(*Co) Action {
		state++
		log = append(log, fmt.Sprintf("step%d", state))
		switch state {
		case 1:
			return Await(sig)
		case 2:
			return Yield
		}
		return Done
	})
	ex.Spawn(4, func(c *Co) {
		log = append(log, "pull")
		sig.Notify()
		c.Yield()
		log = append(log, "pull end")
	})
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"step1", "pull", "step2", "step3", "pull end"}
	if !slices.Equal(log, want) {
		t.Fatalf("ran %v, want %v", log, want)
	}
	if ex.Region().LiveCos() != 0 {
		t.Fatal("coroutines left")
	}
}
