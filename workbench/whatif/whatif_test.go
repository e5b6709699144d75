package whatif

import (
	"strings"
	"testing"

	"copslab/sched"
	"copslab/sched/sandbox"
)

// TestReplayPriority: in tiny, reader lowered to priority 7 at 1 µs,
// before the first decision; the runs are identical before, and the first
// difference is the first fetch (worker, not reader).
func TestReplayPriority(t *testing.T) {
	sc, _ := sandbox.Builtin("tiny")
	ch, err := Parse("reader=7", 1000)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Replay(sc, ch, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Diverged || r.T < ch.At {
		t.Fatalf("diverged %v at %d", r.Diverged, r.T)
	}
	// Identical state changes before the divergence.
	n := 0
	for _, e := range r.Base.Events() {
		if e.From != e.To && e.Time < r.T {
			n++
		}
	}
	m := 0
	for _, e := range r.Alt.Events() {
		if e.From != e.To && e.Time < r.T {
			m++
		}
	}
	if n != m || n == 0 {
		t.Fatalf("%d vs %d state changes before the divergence", n, m)
	}
	b, a := r.Describe()
	t.Logf("diverge at %d: base %s / what-if %s", r.T, b, a)
	if !strings.HasPrefix(b, "reader Ready→Running") || !strings.HasPrefix(a, "worker Ready→Running") {
		t.Fatalf("divergence: base %q, what-if %q", b, a)
	}
	set := false
	for _, e := range r.Alt.Events() {
		if e.Cause == sched.CauseSetPrio && e.Time >= ch.At && e.Prio == 7 {
			set = true
		}
	}
	if !set {
		t.Fatal("no setprio event in the what-if run")
	}
}

// TestReplayPolicies: FIFO changes the priority experiment's order;
// no-boost leaves tiny's reader blocked with its interrupt untaken.
func TestReplayPolicies(t *testing.T) {
	sc, _ := sandbox.Builtin("priority")
	r, err := Replay(sc, Change{At: 50_000, Policy: PolicyFIFO}, 1_000_000)
	if err != nil || !r.Diverged {
		t.Fatalf("fifo: %v, diverged %v", err, r != nil && r.Diverged)
	}
	sc, _ = sandbox.Builtin("tiny")
	r, err = Replay(sc, Change{At: 1000, Policy: PolicyNoBoost}, 200_000)
	if err != nil || !r.Diverged {
		t.Fatalf("no-boost: %v", err)
	}
	if c := r.Alt.Now(); len(c.Cos) == 0 {
		t.Fatal("empty what-if state")
	}
	uintrs := func(evs []sched.Event) (n int) {
		for _, e := range evs {
			if e.Cause == sched.CauseUintr {
				n++
			}
		}
		return
	}
	if uintrs(r.Base.Events()) != 2 || uintrs(r.Alt.Events()) != 1 {
		t.Fatalf("uintr wakes: base %d, what-if %d", uintrs(r.Base.Events()), uintrs(r.Alt.Events()))
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"x=9", "=1", "nofifo", "a=b"} {
		if _, err := Parse(bad, 0); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := Replay(mustTiny(t), Change{At: 5000, Co: "nobody"}, 100_000); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("unknown coroutine: %v", err)
	}
	if _, err := Replay(mustTiny(t), Change{At: 5000, Policy: PolicyFIFO}, 5000); err == nil {
		t.Error("replay ending at the change accepted")
	}
}

func mustTiny(t *testing.T) *sandbox.Scenario {
	sc, err := sandbox.Builtin("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}
