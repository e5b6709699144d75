// Package modeltest generates valid synthetic trace events for tests and
// benchmarks of the model, the exporters and the views: a small
// round-robin scheduler over a few processes whose coroutines compute,
// yield, block on I/O completed through a user-interrupt chain, wake each
// other and get preempted. It is deterministic for a given seed.
package modeltest

import (
	"math/rand/v2"

	"copslab/sched"
)

// Gen describes a synthetic run.
type Gen struct {
	Procs int    // user processes (ids 1..Procs)
	Cos   int    // coroutines per process
	Harts int    // harts
	Seed  uint64 // random seed
}

type co struct {
	id    uint32
	proc  uint16
	prio  uint8
	state sched.State
	req   uint64
	done  uint64 // I/O completion time while blocked
}

type gen struct {
	Gen
	r   *rand.Rand
	t   uint64
	seq uint64
	cos []*co
	out []sched.Event
	req uint64
}

// Events returns n events (a few more, to finish the last decision).
func (g Gen) Events(n int) []sched.Event {
	s := &gen{Gen: g, r: rand.New(rand.NewPCG(g.Seed, 1))}
	if s.Harts < 1 {
		s.Harts = 1
	}
	s.out = make([]sched.Event, 0, n+16)
	for p := 1; p <= g.Procs; p++ {
		for i := 0; i < g.Cos; i++ {
			c := &co{id: uint32(len(s.cos) + 1), proc: uint16(p), prio: uint8(s.r.IntN(sched.NumPrio)), state: sched.Created}
			s.cos = append(s.cos, c)
			s.emit(c, sched.Ready, sched.CauseSpawn, sched.NoWaker, 0)
		}
	}
	for len(s.out) < n {
		s.decide()
	}
	return s.out
}

func (s *gen) emit(c *co, to sched.State, cause sched.Cause, waker uint32, arg uint64) {
	s.emitOn(0, c, to, cause, waker, arg)
}

func (s *gen) emitOn(h uint8, c *co, to sched.State, cause sched.Cause, waker uint32, arg uint64) {
	s.out = append(s.out, sched.Event{
		Time: s.t, Seq: s.seq, Co: c.id, Waker: waker, Proc: c.proc, Hart: h, Prio: c.prio,
		From: c.state, To: to, Cause: cause, Kind: sched.KindUser, Arg: arg,
	})
	s.seq++
	c.state = to
}

// decide runs one round: complete due I/O, then give each hart the best
// ready coroutine for a slice of time.
func (s *gen) decide() {
	s.t += uint64(1000 + s.r.IntN(4000))
	s.completeIO()
	for h := 0; h < s.Harts; h++ {
		c := s.best(h)
		if c == nil {
			continue
		}
		s.emitOn(uint8(h), c, sched.Running, sched.CauseFetch, sched.NoWaker, 0)
		s.t += uint64(500 + s.r.IntN(3000))
		s.finish(uint8(h), c)
	}
}

// best returns the ready coroutine with the best priority among those of
// processes congruent to h modulo Harts.
func (s *gen) best(h int) *co {
	var b *co
	for _, c := range s.cos {
		if c.state == sched.Ready && int(c.proc)%s.Harts == h && (b == nil || c.prio < b.prio) {
			b = c
		}
	}
	return b
}

func (s *gen) finish(h uint8, c *co) {
	switch k := s.r.IntN(10); {
	case k < 3:
		s.emitOn(h, c, sched.Ready, sched.CauseYield, sched.NoWaker, 0)
	case k < 6:
		s.req++
		c.req, c.done = s.req, s.t+uint64(2000+s.r.IntN(8000))
		s.emitOn(h, c, c.state, sched.CauseIOSubmit, sched.NoWaker, c.req)
		s.emitOn(h, c, sched.Blocked, sched.CauseBlock, sched.NoWaker, c.req)
	case k < 8:
		s.emitOn(h, c, sched.Suspended, sched.CausePreempt, sched.NoWaker, 0)
		s.t += 200
		s.emitOn(h, c, sched.Running, sched.CauseResume, sched.NoWaker, 0)
		s.emitOn(h, c, sched.Ready, sched.CauseYield, sched.NoWaker, 0)
	default:
		for _, o := range s.cos {
			if o.state == sched.Blocked && o.req == 0 {
				s.emitOn(h, o, sched.Ready, sched.CauseWake, c.id, 0)
				break
			}
		}
		s.emitOn(h, c, sched.Blocked, sched.CauseBlock, sched.NoWaker, 0)
	}
}

// completeIO delivers due I/O through the user-interrupt chain.
func (s *gen) completeIO() {
	for _, c := range s.cos {
		if c.state == sched.Blocked && c.req != 0 && c.done <= s.t {
			s.emit(c, c.state, sched.CauseIODone, sched.NoWaker, c.req)
			s.t += 100
			s.emit(c, c.state, sched.CauseUintrSend, sched.NoWaker, c.req)
			s.t += 100
			s.emit(c, sched.Ready, sched.CauseUintr, sched.NoWaker, c.req)
			c.req = 0
		}
	}
	if s.r.IntN(4) == 0 { // nobody may be left to wake the waiters: a timer does
		for _, c := range s.cos {
			if c.state == sched.Blocked && c.req == 0 {
				s.emit(c, sched.Ready, sched.CauseTimer, sched.NoWaker, 0)
				break
			}
		}
	}
}
