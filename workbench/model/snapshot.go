package model

import (
	"fmt"
	"slices"

	"copslab/sched"
)

// Snapshot is the whole system state at one instant. Targets produce it
// (model input) and At reconstructs it for the time cursor (model output).
type Snapshot struct {
	Time  uint64      // virtual or real nanoseconds
	Seq   uint64      // sequence number of the next event
	Procs []ProcState // by ascending ID
	Cos   []CoState   // by ascending ID
	Harts []HartState // by hart number
}

// ProcState is one process (slot 0 is the kernel).
type ProcState struct {
	ID           uint16
	Name         string
	Queues       [sched.NumPrio][]uint32 // ready coroutine ids, head first
	Current      uint32                  // Running or Suspended coroutine, or sched.NoCo
	Prio         uint8                   // entry in the global priority array, or sched.Idle
	UintrPending bool                    // a user interrupt is pending (boost to 0)

	// raised holds the request ids (Event.Arg) of the user interrupts
	// sent to this process (uintr-send) whose handler has not yet woken
	// the coroutine (CauseUintr). The scheduler keeps the pending flag
	// until the handler has woken every raised request, so the model
	// clears UintrPending only when this becomes empty. Targets do not
	// report it: Sync carries it over from the model's own state.
	raised []uint64
}

// Bitmap returns the local ready bitmap: bit p set ⇔ Queues[p] non-empty.
func (p *ProcState) Bitmap() uint8 {
	var b uint8
	for i, q := range p.Queues {
		if len(q) > 0 {
			b |= 1 << i
		}
	}
	return b
}

// Ready returns the number of ready coroutines of p.
func (p *ProcState) Ready() int {
	n := 0
	for _, q := range p.Queues {
		n += len(q)
	}
	return n
}

// CoState is one coroutine.
type CoState struct {
	ID       uint32
	Proc     uint16
	Name     string
	Kind     sched.Kind
	Prio     uint8
	State    sched.State
	Since    uint64 // time of its last state change
	Switches int    // times it was put on a hart (fetch or resume)
}

// HartState says what a hart runs.
type HartState struct {
	Hart uint8
	Proc uint16 // sched.NoProc when idle
	Co   uint32 // sched.NoCo when idle
}

// Proc returns the process with id, or nil.
func (s *Snapshot) Proc(id uint16) *ProcState {
	i, ok := slices.BinarySearchFunc(s.Procs, id, func(p ProcState, id uint16) int { return int(p.ID) - int(id) })
	if !ok {
		return nil
	}
	return &s.Procs[i]
}

// Co returns the coroutine with id, or nil.
func (s *Snapshot) Co(id uint32) *CoState {
	i, ok := slices.BinarySearchFunc(s.Cos, id, cmpCo)
	if !ok {
		return nil
	}
	return &s.Cos[i]
}

func cmpCo(c CoState, id uint32) int {
	switch {
	case c.ID < id:
		return -1
	case c.ID > id:
		return 1
	}
	return 0
}

// Clone returns a deep copy of s.
func (s *Snapshot) Clone() *Snapshot {
	c := &Snapshot{Time: s.Time, Seq: s.Seq}
	c.Procs = make([]ProcState, len(s.Procs))
	for i, p := range s.Procs {
		for q := range p.Queues {
			p.Queues[q] = slices.Clone(p.Queues[q])
		}
		p.raised = slices.Clone(p.raised)
		c.Procs[i] = p
	}
	c.Cos = slices.Clone(s.Cos)
	c.Harts = slices.Clone(s.Harts)
	return c
}

// StateCounts returns how many coroutines are in each state.
func (s *Snapshot) StateCounts() [sched.NumStates]int {
	var n [sched.NumStates]int
	for _, c := range s.Cos {
		if c.State < sched.NumStates {
			n[c.State]++
		}
	}
	return n
}

// proc returns process id, adding it when new.
func (s *Snapshot) proc(id uint16) *ProcState {
	if p := s.Proc(id); p != nil {
		return p
	}
	i, _ := slices.BinarySearchFunc(s.Procs, id, func(p ProcState, id uint16) int { return int(p.ID) - int(id) })
	s.Procs = slices.Insert(s.Procs, i, ProcState{ID: id, Current: sched.NoCo, Prio: sched.Idle})
	return &s.Procs[i]
}

// co returns coroutine id, adding it when new.
func (s *Snapshot) co(id uint32) *CoState {
	i, ok := slices.BinarySearchFunc(s.Cos, id, cmpCo)
	if !ok {
		s.Cos = slices.Insert(s.Cos, i, CoState{ID: id})
	}
	return &s.Cos[i]
}

// hart returns hart h, growing the list when needed.
func (s *Snapshot) hart(h uint8) *HartState {
	for len(s.Harts) <= int(h) {
		s.Harts = append(s.Harts, HartState{Hart: uint8(len(s.Harts)), Proc: sched.NoProc, Co: sched.NoCo})
	}
	return &s.Harts[h]
}

// Validate checks what the model relies on: ids sorted and unique, states,
// kinds and priorities in range. Snapshots read from files must pass it.
func (s *Snapshot) Validate() error {
	for i, p := range s.Procs {
		if i > 0 && s.Procs[i-1].ID >= p.ID {
			return fmt.Errorf("processes not sorted by id at %d", p.ID)
		}
		if p.Prio >= sched.NumPrio && p.Prio != sched.Idle {
			return fmt.Errorf("process %d: bad priority %d", p.ID, p.Prio)
		}
	}
	for i, c := range s.Cos {
		if i > 0 && s.Cos[i-1].ID >= c.ID {
			return fmt.Errorf("coroutines not sorted by id at %d", c.ID)
		}
		if c.State >= sched.NumStates || c.Kind >= sched.NumKinds || c.Prio >= sched.NumPrio {
			return fmt.Errorf("coroutine %d: bad state/kind/priority %d/%d/%d", c.ID, c.State, c.Kind, c.Prio)
		}
	}
	for i, h := range s.Harts {
		if int(h.Hart) != i {
			return fmt.Errorf("hart %d listed at %d", h.Hart, i)
		}
	}
	return nil
}
