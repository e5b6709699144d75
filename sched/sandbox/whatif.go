package sandbox

import (
	"fmt"

	"copslab/sched"
)

// What-if changes, applied to a running simulation between two steps
// (the workbench's what-if replay runs a scenario to a point, changes
// something here and runs on).

// Policy changes how the simulated system schedules from now on.
type Policy struct {
	// FlatPrio: every coroutine, running or spawned later, gets priority
	// FlatLevel, so each process's ready queue is one FIFO (priorities
	// are ignored).
	FlatPrio  bool
	FlatLevel uint8
	// NoBoost: raising a user interrupt no longer sets the process's
	// pending flag, so its global priority is not boosted to 0; a process
	// with nothing else to run is then not placed to take the interrupt.
	NoBoost bool
}

// Policy returns the policy in force.
func (s *Sim) Policy() Policy { return s.policy }

// SetPolicy changes the policy from now on.
func (s *Sim) SetPolicy(p Policy) error {
	if p.FlatLevel >= sched.NumPrio {
		return fmt.Errorf("sandbox: priority %d out of 0..%d", p.FlatLevel, sched.NumPrio-1)
	}
	s.policy = p
	if p.FlatPrio {
		for _, c := range s.order {
			if st, e := s.reg.StateOf(c.id); e == sched.OK && st != sched.Exited {
				if err := s.setPrio(c.id, p.FlatLevel); err != nil {
					return err
				}
			}
		}
	}
	return s.err
}

// SetPrio changes the priority of the live coroutine called name (the
// newest with that name).
func (s *Sim) SetPrio(name string, prio uint8) error {
	if prio >= sched.NumPrio {
		return fmt.Errorf("sandbox: priority %d out of 0..%d", prio, sched.NumPrio-1)
	}
	for i := len(s.order) - 1; i >= 0; i-- {
		c := s.order[i]
		if c.name != name {
			continue
		}
		if st, e := s.reg.StateOf(c.id); e != sched.OK || st == sched.Exited {
			return fmt.Errorf("sandbox: coroutine %s has exited", name)
		}
		return s.setPrio(c.id, prio)
	}
	return fmt.Errorf("sandbox: no coroutine %q", name)
}

// setPrio changes a priority under the lock; its setprio event is
// returned by the next Step or RunUntil.
func (s *Sim) setPrio(id uint32, prio uint8) error {
	if s.done {
		return fmt.Errorf("sandbox: the run is over")
	}
	s.lock()
	defer s.unlock()
	if !s.check(s.reg.SetPrio(s.ctx(sched.NoHart), id, prio), "set priority of %s", s.CoName(id)) {
		return s.err
	}
	s.drain()
	return nil
}

// spawnPrio is the priority a new coroutine of spec priority p gets.
func (s *Sim) spawnPrio(p uint8) uint8 {
	if s.policy.FlatPrio {
		return s.policy.FlatLevel
	}
	return p
}
