package cops

import (
	"runtime"
	"testing"
)

// Host benchmarks (the guest's instruction counts come from coyield:
// go test ./kernel -run '^$' -bench CoroutineSwitch -benchtime 1x).

// BenchmarkSwitchStep: two step-function coroutines yielding to each
// other; one op is one switch.
func BenchmarkSwitchStep(b *testing.B) {
	ex, err := New()
	if err != nil {
		b.Fatal(err)
	}
	left := b.N
	for range 2 {
		ex.SpawnStep(3, func(*Co) Action {
			if left <= 0 {
				return Done
			}
			left--
			return Yield
		})
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := ex.Run(); err != nil {
		b.Fatal(err)
	}
}

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
