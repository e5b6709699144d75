package cops

import (
	"iter"
	"runtime"
	"testing"
)

// Host benchmarks (the guest's instruction counts come from coyield:
// go test ./kernel -run '^$' -bench CoroutineSwitch -benchtime 1x).
// One op is one switch (the handoffs: see ns/switch):
//
//	BenchmarkSwitchStep       two step-function coroutines of an executor yielding to each other
//	BenchmarkSwitchPull       the same with iter.Pull coroutines (Spawn)
//	BenchmarkBareStep         baseline: a step function's call and return, nothing scheduled
//	BenchmarkBareIterPull     baseline: the runtime's coroutine switch alone (iter.Pull next → yield)
//	BenchmarkChanHandoff      baseline: two goroutines handing control over unbuffered channels (ns/switch: an op is a round trip)
//	BenchmarkOSThreadHandoff  the same with each goroutine locked to its own OS thread (a thread switch)

// BenchmarkSwitchStep: two step-function coroutines yielding to each
// other.
func BenchmarkSwitchStep(b *testing.B) {
	benchRun(b, func(ex *Executor, left *int) {
		ex.SpawnStep(3, func(*Co) Action {
			if *left <= 0 {
				return Done
			}
			*left--
			return Yield
		})
	})
}

// benchRun spawns two coroutines with spawn, sharing b.N yields, and
// times the executor's run.
func benchRun(b *testing.B, spawn func(ex *Executor, left *int)) {
	ex, err := New()
	if err != nil {
		b.Fatal(err)
	}
	left := b.N
	spawn(ex, &left)
	spawn(ex, &left)
	b.ReportAllocs()
	b.ResetTimer()
	if err := ex.Run(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSwitchPull: two iter.Pull coroutines yielding to each other.
func BenchmarkSwitchPull(b *testing.B) {
	benchRun(b, func(ex *Executor, left *int) {
		ex.Spawn(3, func(c *Co) {
			for ; *left > 0; *left-- {
				c.Yield()
			}
		})
	})
}

// stepper is a coroutine written as an explicit state machine.
type stepper struct{ state, sum int }

//go:noinline
func (s *stepper) step() bool {
	if s.state == 0 {
		s.sum++
	} else {
		s.sum--
	}
	s.state ^= 1
	return true
}

func BenchmarkBareStep(b *testing.B) {
	s := &stepper{}
	b.ReportAllocs()
	for b.Loop() {
		s.step()
	}
}

func BenchmarkBareIterPull(b *testing.B) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	})
	defer stop()
	b.ReportAllocs()
	for b.Loop() {
		next()
	}
}

// handoff: one op is a round trip, ping and pong: two switches, so it
// also reports ns/switch, comparable with the others' ns/op.
func handoff(b *testing.B, lockThreads bool) {
	ping, pong := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		if lockThreads {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		for range ping {
			pong <- struct{}{}
		}
		close(done)
	}()
	if lockThreads {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	b.ReportAllocs()
	for b.Loop() {
		ping <- struct{}{}
		<-pong
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/switch")
	close(ping)
	<-done
}

func BenchmarkChanHandoff(b *testing.B)     { handoff(b, false) }
func BenchmarkOSThreadHandoff(b *testing.B) { handoff(b, true) }

// BenchmarkCoroutineMemory: what 200 live coroutines of each kind cost in
// Go memory (heap + goroutine stacks), per coroutine. The Local itself is
// 8 KiB per executor (sched.LocalSize), outside Go's heap.
func BenchmarkCoroutineMemory(b *testing.B) {
	const n = 200
	measure := func(spawn func(ex *Executor, ev *Event)) float64 {
		ex, err := New()
		if err != nil {
			b.Fatal(err)
		}
		evs := make([]*Event, n)
		for i := range evs {
			evs[i] = ex.NewEvent()
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		for _, ev := range evs {
			spawn(ex, ev)
		}
		ex.Spawn(7, func(c *Co) { // runs last: every other one has started and awaits
			runtime.GC()
			runtime.ReadMemStats(&m1)
			for _, ev := range evs {
				c.Notify(ev)
			}
		})
		if err := ex.Run(); err != nil {
			b.Fatal(err)
		}
		return float64(m1.HeapAlloc+m1.StackInuse-m0.HeapAlloc-m0.StackInuse) / n
	}
	for range b.N {
		pull := measure(func(ex *Executor, ev *Event) {
			ex.Spawn(1, func(c *Co) { c.Await(ev) })
		})
		step := measure(func(ex *Executor, ev *Event) {
			started := false
			ex.SpawnStep(1, func(c *Co) Action {
				if !started {
					started = true
					return Await(ev)
				}
				return Done
			})
		})
		b.ReportMetric(pull, "B/pull-coroutine")
		b.ReportMetric(step, "B/step-coroutine")
	}
}
