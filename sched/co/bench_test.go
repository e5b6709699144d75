package co

import (
	"iter"
	"runtime"
	"testing"

	"copslab/sched"
)

// Switch benchmarks. Every one measures a ROUND TRIP between two parties
// (A hands control to B, B hands it back): ns/op = two switches.
//
//   BenchmarkCoYield         two coroutines of an Executor yielding to
//                            each other: region Yield+Fetch + coroswitch
//   BenchmarkIterPull        the bare runtime coroutine switch (iter.Pull)
//   BenchmarkStateMachine    explicit state machines: a step call and return
//   BenchmarkStateMachineScheduled  the same through the region (as CoYield)
//   BenchmarkChanHandoff     two goroutines ping-ponging on channels
//   BenchmarkOSThreadHandoff the same with each goroutine locked to its own
//                            OS thread (runtime.LockOSThread): a thread switch

func BenchmarkCoYield(b *testing.B) {
	ex := New()
	n := b.N
	body := func(c *Co) {
		for i := 0; i < n; i++ {
			c.Yield()
		}
	}
	ex.Spawn(3, body)
	ex.Spawn(3, body)
	b.ReportAllocs()
	b.ResetTimer()
	if err := ex.Run(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkIterPull(b *testing.B) {
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

// stepper is a coroutine written as an explicit state machine.
type stepper struct {
	state int
	sum   int
}

//go:noinline
func (s *stepper) step() bool {
	switch s.state {
	case 0:
		s.sum++
		s.state = 1
	case 1:
		s.sum--
		s.state = 0
	}
	return true
}

func BenchmarkStateMachine(b *testing.B) {
	s := &stepper{}
	b.ReportAllocs()
	for b.Loop() {
		s.step()
	}
}

func pingPong(b *testing.B, lock bool) {
	ping, pong := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() {
		if lock {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		for range ping {
			pong <- struct{}{}
		}
		close(done)
	}()
	if lock {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	b.ReportAllocs()
	for b.Loop() {
		ping <- struct{}{}
		<-pong
	}
	close(ping)
	<-done
}

func BenchmarkChanHandoff(b *testing.B)     { pingPong(b, false) }
func BenchmarkOSThreadHandoff(b *testing.B) { pingPong(b, true) }

// BenchmarkStateMachineScheduled is BenchmarkCoYield with explicit state
// machines instead of iter.Pull: the same region Fetch/Yield and lock per
// switch, but resuming a coroutine is a plain call of its step function.
// The difference to BenchmarkCoYield is the price of iter.Pull.
func BenchmarkStateMachineScheduled(b *testing.B) {
	ex := New()
	reg, tag := ex.Region(), ex.tag
	var steppers [sched.LocalCos]*stepper
	for i := 0; i < 2; i++ {
		reg.LockYield(tag)
		id, _ := reg.Spawn(sched.Ctx{}, ex.Proc(), sched.KindUser, 3, sched.NoCo)
		reg.Unlock(tag)
		steppers[id&(sched.LocalCos-1)] = &stepper{}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < 2; i++ { // a round trip is two switches
			reg.LockYield(tag)
			id, _ := reg.Fetch(sched.Ctx{}, ex.Proc())
			reg.Unlock(tag)
			steppers[id&(sched.LocalCos-1)].step()
			reg.LockYield(tag)
			reg.Yield(sched.Ctx{}, id)
			reg.Unlock(tag)
		}
	}
}

// BenchmarkCoStep is BenchmarkCoYield with SpawnFunc coroutines.
func BenchmarkCoStep(b *testing.B) {
	ex := New()
	n := b.N
	for i := 0; i < 2; i++ {
		left := n
		ex.SpawnFunc(3, func(*Co) Action {
			if left == 0 {
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
