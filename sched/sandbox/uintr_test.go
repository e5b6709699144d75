package sandbox

import (
	"strings"
	"testing"

	"copslab/sched"
)

// chainTimes collects, per request id, the time of each stage marker of a
// user-interrupt chain.
type chainTimes struct{ done, send, wake uint64 }

func chainsOf(events []sched.Event) map[uint64]*chainTimes {
	out := map[uint64]*chainTimes{}
	get := func(req uint64) *chainTimes {
		if out[req] == nil {
			out[req] = &chainTimes{}
		}
		return out[req]
	}
	for _, e := range events {
		switch {
		case e.Cause == sched.CauseIODone:
			get(e.Arg).done = e.Time
		case e.Cause == sched.CauseUintrSend:
			get(e.Arg).send = e.Time
		case e.Cause == sched.CauseUintr:
			get(e.Arg).wake = e.Time
		}
	}
	return out
}

func runYAML(t *testing.T, src string) (*Sim, []sched.Event) {
	t.Helper()
	sc, err := ParseScenario([]byte(src), "t")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	events, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	checkTrace(t, events)
	return sim, events
}

// TestUintrStageTimes: in "tiny" (kernel 1 µs, delivery 2 µs, handler
// 1 µs, the process always on its hart) every chain takes exactly those
// times: io-done → uintr-send 1 µs, uintr-send → wake 3 µs.
func TestUintrStageTimes(t *testing.T) {
	_, events := runBuiltin(t, "tiny")
	chains := chainsOf(events)
	if len(chains) != 2 {
		t.Fatalf("%d chains, want 2", len(chains))
	}
	for req, c := range chains {
		if c.send-c.done != 1000 || c.wake-c.send != 3000 {
			t.Errorf("request %d: done %d send %d wake %d; want kernel 1000 ns, delivery+handler 3000 ns", req, c.done, c.send, c.wake)
		}
	}
}

const stagesYAML = `
tick_ns: 500
uintr: {kernel_ns: 1200, delivery_ns: 4000, handler_ns: 700}
processes:
  - name: app
    coroutines:
      - {name: r, prio: 2, repeat: 3, work: [read: 10, compute: 1]}
`

// TestUintrCostsScale: the stage costs come from the scenario, rounded up
// to whole ticks (1200 ns → 3 ticks of 500 ns, 700 ns → 2 ticks).
func TestUintrCostsScale(t *testing.T) {
	sim, events := runYAML(t, stagesYAML)
	if k, d, h := sim.Scenario().UintrTicks(); k != 3 || d != 8 || h != 2 {
		t.Fatalf("UintrTicks %d %d %d, want 3 8 2", k, d, h)
	}
	chains := chainsOf(events)
	if len(chains) != 3 {
		t.Fatalf("%d chains", len(chains))
	}
	for req, c := range chains {
		if c.send-c.done != 1500 || c.wake-c.send != 4000+1000 {
			t.Errorf("request %d: kernel %d ns, delivery+handler %d ns; want 1500, 5000", req, c.send-c.done, c.wake-c.send)
		}
	}
	if s := sim.Summary(); s.Harts[0].Overhead < 3*1000 {
		t.Errorf("handler time not charged to the hart: overhead %d", s.Harts[0].Overhead)
	}
}

// TestUintrZeroCosts: with every stage cost 0 the whole chain after the
// device happens in one tick, as before the costs existed.
func TestUintrZeroCosts(t *testing.T) {
	_, events := runYAML(t, strings.Replace(stagesYAML, "{kernel_ns: 1200, delivery_ns: 4000, handler_ns: 700}", "{kernel_ns: 0, delivery_ns: 0, handler_ns: 0}", 1))
	for req, c := range chainsOf(events) {
		if c.send != c.done || c.wake != c.done {
			t.Errorf("request %d: done %d send %d wake %d, want one instant", req, c.done, c.send, c.wake)
		}
	}
}

const boostYAML = `
harts: 1
quantum: 1000
costs: {procswitch: 2}
uintr: {kernel_ns: 1000, delivery_ns: 2000, handler_ns: 1000}
processes:
  - name: app
    coroutines:
      - {name: reader, prio: 6, work: [read: 5, compute: 2]}
  - name: hog
    mode: threads
    coroutines:
      - {name: cpu, prio: 1, start: 3, work: [compute: 40]}
`

// TestUintrBoost: the pending user interrupt boosts app (priority 6) to 0,
// so it preempts hog (priority 1) to take the interrupt, instead of
// waiting for hog's 40 ticks; the snapshot shows the flag and the boost
// between uintr-send and the handler's wake, and neither after it.
func TestUintrBoost(t *testing.T) {
	sc, err := ParseScenario([]byte(boostYAML), "boost")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	var all []sched.Event
	sawBoost, sawClear := false, false
	for !sim.Done() {
		ev, _, err := sim.Step()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ev...)
		for _, e := range ev {
			snap := sim.Snapshot()
			p := snap.Proc(1)
			switch e.Cause {
			case sched.CauseUintrSend:
				if !p.UintrPending || snap.GlobalPrio[1] != 0 {
					t.Fatalf("after uintr-send: pending %v, global prio %d; want the boost to 0", p.UintrPending, snap.GlobalPrio[1])
				}
				sawBoost = true
			case sched.CauseUintr:
				if p.UintrPending {
					t.Fatalf("pending flag still set after the handler woke the reader")
				}
				sawClear = true
			}
		}
	}
	if !sawBoost || !sawClear {
		t.Fatalf("boost seen %v, cleared %v", sawBoost, sawClear)
	}
	var preemptAt uint64
	for _, e := range all {
		if e.Cause == sched.CausePreempt && sim.ProcName(e.Proc) == "hog/cpu" && preemptAt == 0 {
			preemptAt = e.Time
		}
	}
	c := chainsOf(all)[1]
	if preemptAt == 0 || preemptAt < c.send || preemptAt > c.send+1000 {
		t.Fatalf("hog preempted at %d, uintr-send at %d: the boost must take the hart at once", preemptAt, c.send)
	}
	// placement costs procswitch (2 ticks) after the preemption, then the
	// delivery has passed and the handler runs 1 tick.
	if want := c.send + 3000; c.wake != want {
		t.Fatalf("wake at %d, want %d (send %d + delivery 2 µs + handler 1 µs; the 2-tick switch overlaps the delivery)", c.wake, want, c.send)
	}
}

func TestParseUintr(t *testing.T) {
	sc, err := ParseScenario([]byte("processes: [{name: p, coroutines: [{name: c, work: [compute: 1]}]}]\n"), "d")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Uintr != DefaultUintr {
		t.Fatalf("defaults %+v", sc.Uintr)
	}
	sc, err = ParseScenario([]byte("costs: {uintr: 4}\nprocesses: [{name: p, coroutines: [{name: c, work: [compute: 1]}]}]\n"), "old")
	if err != nil {
		t.Fatal(err)
	}
	if k, d, h := sc.UintrTicks(); k != 1 || d != 2 || h != 4 {
		t.Fatalf("costs.uintr alone: %d %d %d, want 1 2 4", k, d, h)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"costs: {uintr: 1}\nuintr: {handler_ns: 5}\n", "line 2: uintr.handler_ns and costs.uintr (line 1)"},
		{"uintr: {kernel: 5}\n", "line 1: unknown field \"kernel\" in uintr"},
		{"uintr: {delivery_ns: -3}\n", "line 1: expected an integer"},
		{"uintr: 3\n", "line 1: uintr must be a mapping"},
	} {
		_, err := ParseScenario([]byte(tc.yaml+"processes: [{name: p, coroutines: [{name: c, work: [compute: 1]}]}]\n"), "t")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
