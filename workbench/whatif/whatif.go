// Package whatif replays a sandbox run with one change from a chosen
// point: a coroutine's priority, or the policy (FIFO without priorities,
// no user-interrupt boost). Both runs start from the same scenario; the
// sandbox is deterministic, so they are identical up to the change, and
// the first state change that differs afterwards is the divergence the
// window marks on the two timelines.
package whatif

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"copslab/sched"
	"copslab/sched/sandbox"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// Policies a Change can switch to.
const (
	PolicyFIFO    = "fifo"     // every coroutine at one priority: one FIFO per process
	PolicyNoBoost = "no-boost" // a pending user interrupt does not boost its process to 0
)

// Change is what the replay changes at At.
type Change struct {
	At     uint64 // target time of the change
	Co     string // set this coroutine's priority to Prio...
	Prio   int
	Policy string // ...or switch to this policy
}

// Parse reads "NAME=PRIO" (a priority) or a policy name.
func Parse(s string, at uint64) (Change, error) {
	c := Change{At: at}
	if name, p, ok := strings.Cut(s, "="); ok {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n >= sched.NumPrio || name == "" {
			return c, fmt.Errorf("want NAME=PRIO with PRIO 0..%d, got %q", sched.NumPrio-1, s)
		}
		c.Co, c.Prio = name, n
		return c, nil
	}
	if s != PolicyFIFO && s != PolicyNoBoost {
		return c, fmt.Errorf("want NAME=PRIO, %s or %s, got %q", PolicyFIFO, PolicyNoBoost, s)
	}
	c.Policy = s
	return c, nil
}

func (c Change) String() string {
	if c.Co != "" {
		return fmt.Sprintf("%s at priority %d from %s", c.Co, c.Prio, fmtNS(c.At))
	}
	return fmt.Sprintf("policy %s from %s", c.Policy, fmtNS(c.At))
}

// Result is a replay: the unchanged run, the changed one, and where they
// first differ.
type Result struct {
	Change    Change
	Base, Alt *model.Model
	// BaseIdx and AltIdx index the first differing state change in each
	// model's Events (-1 when a run has no event there); Diverged is
	// false when the runs never differ.
	BaseIdx, AltIdx int
	Diverged        bool
	T               uint64 // time of the divergence
}

// ScenarioOf returns the scenario of a sandbox target.
func ScenarioOf(t target.Target) (*sandbox.Scenario, error) {
	s, ok := t.(interface{ Scenario() *sandbox.Scenario })
	if !ok {
		return nil, errors.New("what-if replays need the sandbox target")
	}
	return s.Scenario(), nil
}

// Replay runs sc twice until the target time until (or its end): as is,
// and with ch applied at ch.At.
func Replay(sc *sandbox.Scenario, ch Change, until uint64) (*Result, error) {
	if until <= ch.At {
		return nil, fmt.Errorf("the replay must run past the change (%s)", fmtNS(ch.At))
	}
	base, err := run(sc, nil, until)
	if err != nil {
		return nil, err
	}
	alt, err := run(sc, &ch, until)
	if err != nil {
		return nil, fmt.Errorf("what-if run: %w", err)
	}
	r := &Result{Change: ch, Base: base, Alt: alt}
	r.diverge()
	return r, nil
}

// run feeds a model from a sandbox run, changing it at ch.At when ch is set.
func run(sc *sandbox.Scenario, ch *Change, until uint64) (*model.Model, error) {
	t, err := target.NewSandbox(sc, sc.Name)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	m := model.New()
	s, err := t.Snapshot()
	if err != nil {
		return nil, err
	}
	m.Learn(s)
	// Runner, not Step: a run where nothing happens any more (e.g. no
	// boost, nobody placed) must still end at the given time.
	r := t.(target.Runner)
	feed := func(to uint64) error {
		for chunk := max((to-t.Now())/32, 1); !t.Done() && t.Now() < to; {
			evs, err := r.RunUntil(min(t.Now()+chunk, to))
			m.Add(evs...)
			if err != nil {
				return err
			}
			s, err := t.Snapshot()
			if err != nil {
				return err
			}
			m.Sync(s) // a keyframe, and the names of what was spawned
		}
		return nil
	}
	if ch != nil {
		if err := feed(ch.At); err != nil {
			return nil, err
		}
		if t.Done() {
			return nil, fmt.Errorf("the run ended at %s, before the change", fmtNS(t.Now()))
		}
		c := t.(target.Changer)
		switch {
		case ch.Co != "":
			err = c.SetPrio(ch.Co, uint8(ch.Prio))
		case ch.Policy == PolicyFIFO:
			err = c.SetPolicy(true, sched.NumPrio/2, false)
		case ch.Policy == PolicyNoBoost:
			err = c.SetPolicy(false, 0, true)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := feed(until); err != nil {
		return nil, err
	}
	return m, nil
}

// diverge finds the first state change that differs between the runs.
func (r *Result) diverge() {
	a, b := r.Base.Events(), r.Alt.Events()
	i, j := 0, 0
	next := func(evs []sched.Event, k int) int {
		for k < len(evs) && evs[k].From == evs[k].To {
			k++
		}
		return k
	}
	for {
		i, j = next(a, i), next(b, j)
		if i == len(a) || j == len(b) {
			break
		}
		x, y := a[i], b[j]
		if x.Time != y.Time || x.Co != y.Co || x.From != y.From || x.To != y.To || x.Cause != y.Cause {
			break
		}
		i, j = i+1, j+1
	}
	if i == len(a) && j == len(b) {
		r.BaseIdx, r.AltIdx = -1, -1
		return
	}
	r.Diverged = true
	r.BaseIdx, r.AltIdx = -1, -1
	if i < len(a) {
		r.BaseIdx, r.T = i, a[i].Time
	}
	if j < len(b) {
		r.AltIdx = j
		if r.BaseIdx < 0 || b[j].Time < r.T {
			r.T = b[j].Time
		}
	}
}

// Describe says what each run did at the divergence.
func (r *Result) Describe() (base, alt string) {
	return describe(r.Base, r.BaseIdx), describe(r.Alt, r.AltIdx)
}

func describe(m *model.Model, i int) string {
	if i < 0 {
		return "nothing (the run is over)"
	}
	e := m.Events()[i]
	name := fmt.Sprintf("#%d", e.Co)
	if li := m.LaneOf(e.Co); li >= 0 && m.Lanes()[li].Name != "" {
		name = m.Lanes()[li].Name
	}
	return fmt.Sprintf("%s %s→%s (%s) at %s", name, e.From, e.To, e.Cause, fmtNS(e.Time))
}

func fmtNS(ns uint64) string {
	switch {
	case ns >= 1_000_000:
		return strconv.FormatFloat(float64(ns)/1e6, 'f', -1, 64) + "ms"
	case ns >= 1_000:
		return strconv.FormatFloat(float64(ns)/1e3, 'f', -1, 64) + "µs"
	}
	return strconv.FormatUint(ns, 10) + "ns"
}
