package model

import "copslab/sched"

// Flow is a wakeup: coroutine From (or the device/timer, sched.NoCo) made
// coroutine To ready. FromT is when the cause happened (the I/O completion
// for a user-interrupt wakeup), T when To became ready.
type Flow struct {
	FromT, T uint64
	From, To uint32
	Cause    sched.Cause // CauseWake, CauseUintr or CauseTimer
	Req      uint64      // I/O request id for CauseUintr
}

// Chain is one asynchronous I/O delivered by a user interrupt, stage by
// stage. A zero time means the stage has not happened (yet).
type Chain struct {
	Req                   uint64
	Proc                  uint16
	Co                    uint32 // the coroutine that waits for the I/O
	Submit, Done, Send    uint64 // io-submit, io-done, uintr-send times
	Wake, Run             uint64 // woken by the handler; next put on a hart
	SubmitBy, DoneBy, SBy uint32 // coroutine recorded with each marker
	seen                  uint8  // bit per stage: 1 submit, 2 done, 4 send, 8 wake, 16 run
}

// Stage names, in order.
var StageNames = [4]string{"device", "kernel", "delivery", "schedule"}

// Stages returns the latency of each stage (submit→done, done→send,
// send→wake, wake→run) and whether it is known.
func (c *Chain) Stages() (lat [4]uint64, ok [4]bool) {
	t := [5]uint64{c.Submit, c.Done, c.Send, c.Wake, c.Run}
	for i := 0; i < 4; i++ {
		if c.seen&(1<<i) != 0 && c.seen&(1<<(i+1)) != 0 && t[i+1] >= t[i] {
			lat[i], ok[i] = t[i+1]-t[i], true
		}
	}
	return lat, ok
}

// Complete reports whether every stage has happened.
func (c *Chain) Complete() bool { return c.seen == 31 }

// Total returns submit→run, valid when Complete.
func (c *Chain) Total() uint64 { return c.Run - c.Submit }

// Flows returns every wakeup in order. Callers must not modify it.
func (m *Model) Flows() []Flow { return m.flows }

// Chains returns every user-interrupt chain in order of submission.
func (m *Model) Chains() []Chain { return m.chains }

func (m *Model) flow(e *sched.Event) {
	if e.From != sched.Blocked || e.To != sched.Ready {
		return
	}
	f := Flow{FromT: e.Time, T: e.Time, From: e.Waker, To: e.Co, Cause: e.Cause}
	if e.Cause == sched.CauseUintr {
		f.Req = e.Arg
		if i, ok := m.chainOf[e.Arg]; ok && m.chains[i].seen&2 != 0 {
			f.FromT, f.From = m.chains[i].Done, m.chains[i].DoneBy
		}
	}
	m.flows = append(m.flows, f)
}

func (m *Model) chainFor(req uint64, e *sched.Event) *Chain {
	i, ok := m.chainOf[req]
	if !ok {
		i = len(m.chains)
		m.chainOf[req] = i
		m.chains = append(m.chains, Chain{Req: req, Proc: e.Proc, Co: e.Co})
	}
	return &m.chains[i]
}

func (m *Model) chain(e *sched.Event) {
	if e.Cause == sched.CauseFetch || e.Cause == sched.CauseResume {
		if i, ok := m.runWait[e.Co]; ok {
			c := &m.chains[i]
			c.Run, c.seen = e.Time, c.seen|16
			delete(m.runWait, e.Co)
		}
		return
	}
	var c *Chain
	switch e.Cause {
	case sched.CauseIOSubmit:
		c = m.chainFor(e.Arg, e)
		if c.seen&1 != 0 && c.Submit <= e.Time {
			return // the kernel stamps the submit at the system call, the coroutine's own mark arrives later
		}
		c.Submit, c.SubmitBy, c.seen = e.Time, e.Co, c.seen|1
		c.Co, c.Proc = e.Co, e.Proc
	case sched.CauseIODone:
		c = m.chainFor(e.Arg, e)
		c.Done, c.DoneBy, c.seen = e.Time, e.Co, c.seen|2
	case sched.CauseUintrSend:
		c = m.chainFor(e.Arg, e)
		c.Send, c.SBy, c.seen = e.Time, e.Co, c.seen|4
	case sched.CauseUintr:
		c = m.chainFor(e.Arg, e)
		c.Wake, c.seen = e.Time, c.seen|8
		c.Co, c.Proc = e.Co, e.Proc
		m.runWait[e.Co] = m.chainOf[e.Arg]
	}
}

// Seen reports whether stage i (0 submit, 1 done, 2 send, 3 wake, 4 run)
// has happened.
func (c *Chain) Seen(i int) bool { return c.seen&(1<<i) != 0 }
