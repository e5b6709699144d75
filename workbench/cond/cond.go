// Package cond parses and evaluates "stop when" conditions on the
// scheduler's state, checked against each trace event as it arrives:
//
//	co 7 ready            coroutine (kernel: thread) 7 becomes Ready
//	co 7 becomes running  the same, "becomes" optional; any state name
//	proc 3 placed         a coroutine of process 3 is put on a hart
//	prio 0 waits > 1ms    a priority-0 coroutine has been Ready longer than 1 ms
//
// The package has no GUI and no target: the window checks each batch
// with Cond.Check before showing it, and stops at the first match.
package cond

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"copslab/sched"
)

// Cond is a parsed condition with the state it needs between events.
type Cond struct {
	Text string

	kind    int
	id      uint64
	state   sched.State
	prio    uint8
	wait    uint64            // ns
	readyAt map[uint32]uint64 // waits: Ready since, per coroutine of the priority
}

const (
	kindState = iota
	kindPlaced
	kindWaits
)

// Parse reads a condition; errors say what is expected.
func Parse(s string) (*Cond, error) {
	f := strings.Fields(strings.ToLower(s))
	c := &Cond{Text: strings.TrimSpace(s)}
	bad := func(why string) (*Cond, error) {
		return nil, fmt.Errorf("stop condition %q: %s (examples: \"co 7 ready\", \"proc 3 placed\", \"prio 0 waits > 1ms\")", s, why)
	}
	if len(f) < 3 {
		return bad("too short")
	}
	n, err := strconv.ParseUint(f[1], 10, 32)
	if err != nil {
		return bad(fmt.Sprintf("%q is not a number", f[1]))
	}
	c.id = n
	switch {
	case (f[0] == "co" || f[0] == "tid" || f[0] == "thread") && (len(f) == 3 || len(f) == 4 && f[2] == "becomes"):
		st, ok := stateNamed(f[len(f)-1])
		if !ok {
			return bad(fmt.Sprintf("unknown state %q", f[len(f)-1]))
		}
		c.kind, c.state = kindState, st
	case (f[0] == "proc" || f[0] == "pid" || f[0] == "process") && len(f) == 3 && f[2] == "placed":
		c.kind = kindPlaced
	case f[0] == "prio" && len(f) == 5 && f[2] == "waits" && f[3] == ">":
		if n >= sched.NumPrio {
			return bad(fmt.Sprintf("priority %d (0..%d)", n, sched.NumPrio-1))
		}
		d, err := time.ParseDuration(f[4])
		if err != nil || d <= 0 {
			return bad(fmt.Sprintf("%q is not a duration", f[4]))
		}
		c.kind, c.prio, c.wait, c.readyAt = kindWaits, uint8(n), uint64(d), map[uint32]uint64{}
	default:
		return bad("not one of the forms")
	}
	return c, nil
}

func stateNamed(s string) (sched.State, bool) {
	for st := sched.State(0); st < sched.NumStates; st++ {
		if strings.EqualFold(st.String(), s) {
			return st, true
		}
	}
	return 0, false
}

// Check feeds events in order and returns the index of the first one at
// which the condition holds.
func (c *Cond) Check(evs []sched.Event) (int, bool) {
	for i := range evs {
		if c.match(&evs[i]) {
			return i, true
		}
	}
	return 0, false
}

func (c *Cond) match(e *sched.Event) bool {
	switch c.kind {
	case kindState:
		return uint64(e.Co) == c.id && e.To == c.state && e.From != e.To
	case kindPlaced:
		return uint64(e.Proc) == c.id && e.To == sched.Running && e.From != sched.Running
	}
	// kindWaits: a coroutine of the priority leaving Ready (or any event
	// later than the limit while it still waits) after more than wait.
	hit := false
	for co, t := range c.readyAt {
		if e.Time > t+c.wait {
			hit = true
			delete(c.readyAt, co)
		}
	}
	if e.From == sched.Ready && e.To != sched.Ready {
		delete(c.readyAt, e.Co)
	}
	if e.To == sched.Ready && e.From != sched.Ready && e.Prio == c.prio {
		c.readyAt[e.Co] = e.Time
	}
	return hit
}
