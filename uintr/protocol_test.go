package uintr

import (
	"math/rand/v2"
	"testing"

	"copslab/sched"
)

// explore visits every reachable state of w (depth first, states
// deduplicated by hash) and returns the first failure with the actions
// that led to it, and how many states and end states it saw.
func explore(w0 *world) (states, ends int, err error, path []int) {
	seen := map[uint64]bool{}
	type frame struct {
		w    *world
		acts []int
		i    int
	}
	var buf []int
	stack := []frame{{w: w0, acts: append([]int(nil), w0.actions(buf)...)}}
	seen[w0.key()] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if len(top.acts) == 0 && top.i == 0 {
			top.i = 1
			ends++
			if err := top.w.check(); err != nil {
				for _, f := range stack[:len(stack)-1] {
					path = append(path, f.acts[f.i-1])
				}
				return len(seen), ends, err, path
			}
		}
		if top.i >= len(top.acts) {
			stack = stack[:len(stack)-1]
			continue
		}
		a := top.acts[top.i]
		top.i++
		w := top.w.clone()
		w.do(a)
		k := w.key()
		if seen[k] {
			continue
		}
		seen[k] = true
		stack = append(stack, frame{w: w, acts: append([]int(nil), w.actions(buf)...)})
	}
	return len(seen), ends, nil, nil
}

// TestProtocolExhaustive: every interleaving of the executor's steps
// (each Release step separately), the handler's steps, deliveries at
// every step boundary and the kernel's completions (record+Tail, then the
// pending bit, at any point) ends with every coroutine woken once per
// call, nothing stray, the ring drained, the lock free: no lost or
// duplicated wakeup, no deadlock.
func TestProtocolExhaustive(t *testing.T) {
	for _, c := range []struct{ cos, ops int }{{1, 1}, {1, 3}, {2, 1}, {2, 2}, {3, 1}} {
		if testing.Short() && c.cos*c.ops > 3 {
			continue
		}
		states, ends, err, path := explore(newWorld(c.cos, c.ops, nil))
		if err != nil {
			t.Fatalf("%d coroutines × %d calls: %v after actions %v", c.cos, c.ops, err, path)
		}
		if ends == 0 {
			t.Fatalf("%d coroutines × %d calls: no end state", c.cos, c.ops)
		}
		t.Logf("%d coroutines × %d calls: %d states, %d end states, all correct", c.cos, c.ops, states, ends)
	}
}

// TestProtocolConcurrentHandler: the same search with the handler on
// another hart than the lock holder (steps of both interleave): still no
// lost or duplicated wakeup, no deadlock; and without H3 a wakeup is lost.
func TestProtocolConcurrentHandler(t *testing.T) {
	conc := &variant{name: "concurrent", concurrent: true}
	for _, c := range []struct{ cos, ops int }{{1, 1}, {1, 2}, {2, 1}} {
		states, ends, err, path := explore(newWorld(c.cos, c.ops, conc))
		if err != nil {
			t.Fatalf("%d coroutines × %d calls: %v after actions %v", c.cos, c.ops, err, path)
		}
		t.Logf("handler on another hart, %d coroutines × %d calls: %d states, %d end states, all correct", c.cos, c.ops, states, ends)
	}
	noH3 := &variant{name: "no second TryLock (H3)", concurrent: true,
		next: func(r *Receiver, l *sched.Local, c sched.Ctx, tag uint32, s Step) Step {
			if s == StepH3 {
				return StepDone
			}
			return r.Next(l, c, tag, s)
		}}
	_, _, err, path := explore(newWorld(1, 2, noH3))
	if err == nil {
		t.Fatalf("mutant %q: no failure found", noH3.name)
	}
	t.Logf("mutant %q fails: %v (after %d actions)", noH3.name, err, len(path))
}

// TestProtocolMutants: the same exploration finds the failure when one
// step of the protocol is left out, so the test can fail.
func TestProtocolMutants(t *testing.T) {
	skip := func(from, to Step) func(*Receiver, *sched.Local, sched.Ctx, uint32, Step) Step {
		return func(r *Receiver, l *sched.Local, c sched.Ctx, tag uint32, s Step) Step {
			if s == from {
				return to
			}
			return r.Next(l, c, tag, s)
		}
	}
	mutants := []variant{
		{name: "no recheck (R4)", next: skip(StepR4, StepDone)},
		{name: "no Deferred flag (H2)", next: skip(StepH2, StepH3)},
		{name: "unlock without draining (R2)", next: skip(StepR2, StepR3)},
		{name: "block after the release (S1–S4 broken)", blockLate: true},
	}
	for i := range mutants {
		m := &mutants[i]
		_, _, err, path := explore(newWorld(2, 2, m))
		if err == nil {
			t.Errorf("mutant %q: no failure found", m.name)
			continue
		}
		t.Logf("mutant %q fails: %v (after %d actions)", m.name, err, len(path))
	}
}

// TestProtocolRandom runs long random schedules with more coroutines and
// calls than the exhaustive check can: 8 coroutines, 200,000 async calls
// in all, the ring often full.
func TestProtocolRandom(t *testing.T) {
	total := 0
	for seed := uint64(1); total < 200_000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		w := newWorld(8, 250, nil)
		var buf []int
		for {
			acts := w.actions(buf)
			if len(acts) == 0 {
				break
			}
			w.do(acts[rng.IntN(len(acts))])
		}
		if err := w.check(); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		total += 8 * 250
		if st := w.emu.Stats(modelProc); st.Completed != 8*250 || st.Delivered != st.Returned {
			t.Fatalf("seed %d: stats %+v", seed, st)
		}
	}
	t.Logf("%d async calls over random schedules: none lost, none duplicated", total)
}
