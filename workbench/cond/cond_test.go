package cond

import (
	"testing"
	"time"

	"copslab/sched"
)

func ev(t uint64, co uint32, proc uint16, prio uint8, from, to sched.State) sched.Event {
	return sched.Event{Time: t, Co: co, Proc: proc, Prio: prio, From: from, To: to}
}

var run = []sched.Event{
	ev(0, 7, 1, 0, sched.Created, sched.Ready),
	ev(10, 8, 3, 2, sched.Created, sched.Ready),
	ev(20, 7, 1, 0, sched.Ready, sched.Running),
	ev(30, 7, 1, 0, sched.Running, sched.Ready),
	ev(40, 8, 3, 2, sched.Ready, sched.Running),
	ev(2_000_040, 8, 3, 2, sched.Running, sched.Blocked),
	ev(2_000_050, 7, 1, 0, sched.Ready, sched.Running),
}

func TestConditions(t *testing.T) {
	for _, c := range []struct {
		text string
		at   int
		hit  bool
	}{
		{"co 7 ready", 0, true},
		{"co 7 becomes Running", 2, true},
		{"tid 8 blocked", 5, true},
		{"co 9 ready", 0, false},
		{"proc 3 placed", 4, true},
		{"pid 2 placed", 0, false},
		{"prio 0 waits > 1ms", 5, true}, // co 7 Ready since 30, still waiting at 2_000_040
		{"prio 2 waits > 1ms", 0, false},
		{"prio 0 waits > 3ms", 0, false},
	} {
		k, err := Parse(c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.text, err)
		}
		at, hit := k.Check(run)
		if hit != c.hit || hit && at != c.at {
			t.Errorf("%s: hit %v at %d, want %v at %d", c.text, hit, at, c.hit, c.at)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "co", "co x ready", "co 7 sleeping", "proc 3 run", "prio 9 waits > 1ms",
		"prio 0 waits > soon", "prio 0 waits < 1ms", "prio 0 waits > -1ms", "co 7 becomes"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	_ = time.Millisecond
}
