package sandbox

import (
	"strings"
	"testing"

	"copslab/sched"
)

// find returns the first event of coroutine name with the cause, or nil.
func find(sim *Sim, evs []sched.Event, name string, c sched.Cause) *sched.Event {
	for i := range evs {
		if sim.CoName(evs[i].Co) == name && evs[i].Cause == c {
			return &evs[i]
		}
	}
	return nil
}

// TestWaitSignal: a waiter blocks until the signal and is woken by the
// signaller (Waker); a signal given before the wait is kept, so that wait
// does not block.
func TestWaitSignal(t *testing.T) {
	sim, evs := runYAML(t, `harts: 1
processes:
  - name: a
    coroutines:
      - {name: w, prio: 0, work: [wait: go, compute: 1, wait: go2, compute: 1]}
  - name: b
    coroutines:
      - {name: s, prio: 5, work: [compute: 3, signal: go, signal: go2, compute: 1]}
`)
	wake := find(sim, evs, "w", sched.CauseWake)
	if wake == nil || sim.CoName(wake.Waker) != "s" || wake.Time != 3000 {
		t.Fatalf("wake %+v", wake)
	}
	blocks := 0
	for _, e := range evs {
		if sim.CoName(e.Co) == "w" && e.Cause == sched.CauseBlock {
			blocks++
		}
	}
	if blocks != 1 {
		t.Fatalf("w blocked %d times; the second signal was given before its wait and must be kept", blocks)
	}
}

const splitIO = `harts: 1
until: 500
lost_wakeups: %v
processes:
  - name: app
    coroutines:
      - {name: r, prio: 0, work: [submit: 3, compute: 10, await, compute: 1]}
`

// TestSubmitAwait: a completion that arrives before await is recorded
// (await does not block, r finishes); with lost_wakeups it is dropped and
// await blocks for ever on the completed request.
func TestSubmitAwait(t *testing.T) {
	sim, evs := runYAML(t, strings.Replace(splitIO, "%v", "false", 1))
	if find(sim, evs, "r", sched.CauseBlock) != nil || find(sim, evs, "r", sched.CauseExit) == nil {
		t.Fatal("safe handler: r blocked or did not finish")
	}
	sim, evs = runYAML(t, strings.Replace(splitIO, "%v", "true", 1))
	done, blk := find(sim, evs, "r", sched.CauseIODone), find(sim, evs, "r", sched.CauseBlock)
	if done == nil || blk == nil || blk.Arg != done.Arg || blk.Time <= done.Time || find(sim, evs, "r", sched.CauseExit) != nil {
		t.Fatalf("lost wakeup: io-done %+v, block %+v", done, blk)
	}
	if st := sim.Snapshot(); st.Cos[0].State != sched.Blocked {
		t.Fatalf("r is %v at the end", st.Cos[0].State)
	}
	// await after the completion has not yet been delivered: woken by uintr.
	sim, evs = runYAML(t, strings.Replace(strings.Replace(splitIO, "%v", "false", 1), "compute: 10", "compute: 1", 1))
	if w := find(sim, evs, "r", sched.CauseUintr); w == nil || find(sim, evs, "r", sched.CauseExit) == nil {
		t.Fatal("await before the completion: r not woken by the handler")
	}
}

func TestSplitIOParseErrors(t *testing.T) {
	for src, want := range map[string]string{
		"processes:\n  - name: t\n    mode: threads\n    coroutines:\n      - {name: x, work: [submit: 1, await]}\n": "line 5: submit and await need mode coroutines",
		"processes:\n  - name: a\n    coroutines:\n      - {name: x, work: [wait: {a: 1}]}\n":                        "wait needs the name of an event",
		"lost_wakeups: maybe\nprocesses: []\n": "lost_wakeups must be true or false",
	} {
		if _, err := ParseScenario([]byte(src), "t"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
