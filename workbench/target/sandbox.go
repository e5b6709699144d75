package target

// This file is the only place that knows the sandbox's types: it adapts a
// sandbox.Sim to Target and converts sched.Snapshot to model.Snapshot.

import (
	"fmt"
	"os"

	"copslab/sched"
	"copslab/sched/sandbox"
	"copslab/workbench/model"
)

// sandboxTarget runs a scenario in the host sandbox.
type sandboxTarget struct {
	sc  *sandbox.Scenario
	src string
	sim *sandbox.Sim
}

var (
	_ Target    = (*sandboxTarget)(nil)
	_ Runner    = (*sandboxTarget)(nil)
	_ Restarter = (*sandboxTarget)(nil)
	_ Changer   = (*sandboxTarget)(nil)
)

// DefaultScenario is run when none is named.
const DefaultScenario = "tiny"

// LoadScenario resolves a scenario argument: a path to a YAML file, or the
// name of a built-in scenario.
func LoadScenario(arg string) (*sandbox.Scenario, error) {
	if arg == "" {
		arg = DefaultScenario
	}
	if st, err := os.Stat(arg); err == nil && !st.IsDir() {
		return sandbox.LoadScenario(arg)
	}
	sc, err := sandbox.Builtin(arg)
	if err != nil {
		return nil, fmt.Errorf("scenario %q is neither a file nor a built-in: %w", arg, err)
	}
	return sc, nil
}

// Scenarios lists the built-in scenario names.
func Scenarios() []string { return sandbox.BuiltinNames() }

// OpenSandbox starts the sandbox on a scenario (file or built-in name).
func OpenSandbox(scenario string) (Target, error) {
	sc, err := LoadScenario(scenario)
	if err != nil {
		return nil, err
	}
	t := &sandboxTarget{sc: sc, src: scenario}
	return t, t.Restart()
}

func (t *sandboxTarget) Info() Info {
	return Info{Kind: "sandbox", Name: t.sc.Name, Description: t.sc.Description, Source: t.src}
}

func (t *sandboxTarget) Restart() error {
	sim, err := sandbox.New(t.sc)
	if err != nil {
		return err
	}
	t.sim = sim
	return nil
}

func (t *sandboxTarget) Step() ([]sched.Event, error) {
	if t.sim.Done() {
		return nil, t.sim.Err()
	}
	evs, _, err := t.sim.Step()
	return evs, err
}

func (t *sandboxTarget) RunUntil(tm uint64) ([]sched.Event, error) { return t.sim.RunUntil(tm) }
func (t *sandboxTarget) Now() uint64                               { return t.sim.Now() }
func (t *sandboxTarget) Done() bool                                { return t.sim.Done() }
func (t *sandboxTarget) Close() error                              { return nil }

func (t *sandboxTarget) Snapshot() (*model.Snapshot, error) {
	s := t.sim.Snapshot()
	if err := t.sim.Err(); err != nil {
		return nil, err
	}
	return convertSnapshot(&s, t.sim.Now()), nil
}

// convertSnapshot turns a decoded scheduler region into the model's form.
func convertSnapshot(s *sched.Snapshot, now uint64) *model.Snapshot {
	out := &model.Snapshot{Time: now, Seq: s.Seq}
	for _, p := range s.Procs {
		ps := model.ProcState{ID: p.ID, Name: p.Name, Current: p.Current, UintrPending: p.UintrPending, Prio: sched.Idle}
		if int(p.ID) < len(s.GlobalPrio) {
			ps.Prio = s.GlobalPrio[p.ID]
		}
		for q := range p.Queues {
			ps.Queues[q] = append([]uint32(nil), p.Queues[q]...)
		}
		out.Procs = append(out.Procs, ps)
	}
	for _, c := range s.Cos {
		out.Cos = append(out.Cos, model.CoState{ID: c.ID, Proc: c.Proc, Name: c.Name, Kind: c.Kind, Prio: c.Prio, State: c.State})
	}
	sortCos(out.Cos)
	for _, h := range s.Harts {
		hs := model.HartState{Hart: h.Hart, Proc: h.Proc, Co: sched.NoCo}
		if c := s.Co(h.Co); c != nil && c.State == sched.Running {
			hs.Co = h.Co
		}
		out.Harts = append(out.Harts, hs)
	}
	return out
}

// NewSandbox starts the sandbox on an already parsed scenario; src names
// it (a built-in name or a file) for titles.
func NewSandbox(sc *sandbox.Scenario, src string) (Target, error) {
	t := &sandboxTarget{sc: sc, src: src}
	return t, t.Restart()
}

// Scenario returns the scenario the sandbox runs (what-if replays re-run it).
func (t *sandboxTarget) Scenario() *sandbox.Scenario { return t.sc }

// SetPrio changes a live coroutine's priority (Changer).
func (t *sandboxTarget) SetPrio(name string, prio uint8) error { return t.sim.SetPrio(name, prio) }

// SetPolicy changes the scheduling policy from now on (Changer).
func (t *sandboxTarget) SetPolicy(fifo bool, level uint8, noBoost bool) error {
	return t.sim.SetPolicy(sandbox.Policy{FlatPrio: fifo, FlatLevel: level, NoBoost: noBoost})
}
