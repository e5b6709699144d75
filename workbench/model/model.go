package model

import (
	"slices"
	"sort"

	"copslab/sched"
)

// KeyEvery is how many events separate two derived keyframes.
const KeyEvery = 2048

// RecentMax is how many recent transitions Recent keeps.
const RecentMax = 16

// Model is the workbench's picture of one run (see the package comment).
type Model struct {
	now    *Snapshot
	start  uint64
	lost   uint64 // events missing from the sequence (ring overflow)
	events []sched.Event
	keys   []keyframe

	lanes   []Lane         // one per coroutine, in order of first appearance
	laneOf  map[uint32]int // coroutine id → index in lanes
	harts   []HartLane
	flows   []Flow
	chains  []Chain
	chainOf map[uint64]int // I/O request id → index in chains
	runWait map[uint32]int // woken coroutine → chain waiting for its next run
	queues  map[uint16]*Counter
	trans   [sched.NumStates][sched.NumStates]int
	recent  []sched.Event
	names   map[uint32]string
	pnames  map[uint16]string
	limits  Limits
	warn    warnState
}

type keyframe struct {
	n    int // events applied before this state
	snap *Snapshot
}

// New returns an empty model.
func New() *Model {
	m := &Model{}
	m.Reset()
	return m
}

// Reset forgets everything (used on restart).
func (m *Model) Reset() {
	*m = Model{
		now:     &Snapshot{},
		laneOf:  map[uint32]int{},
		chainOf: map[uint64]int{},
		runWait: map[uint32]int{},
		queues:  map[uint16]*Counter{},
		names:   map[uint32]string{},
		pnames:  map[uint16]string{},
		limits:  m.limits,
	}
	if m.limits == (Limits{}) {
		m.limits = DefaultLimits
	}
	m.keys = []keyframe{{0, m.now.Clone()}}
}

// Add applies trace events in order.
func (m *Model) Add(evs ...sched.Event) {
	for i := range evs {
		m.add(&evs[i])
	}
}

func (m *Model) add(e *sched.Event) {
	if len(m.events) == 0 {
		m.start = e.Time
	} else if last := m.events[len(m.events)-1].Seq; e.Seq > last+1 {
		m.lost += e.Seq - last - 1 // the trace ring overflowed
	}
	m.events = append(m.events, *e)
	m.now.Apply(e)
	if c := m.now.Co(e.Co); c.Name == "" {
		c.Name = m.names[e.Co]
	}
	if p := m.now.Proc(e.Proc); p.Name == "" {
		p.Name = m.pnames[e.Proc]
	}
	m.lane(e)
	m.hartLane(e)
	m.flow(e)
	m.chain(e)
	m.counter(e)
	m.warnings(e)
	if e.From != e.To {
		m.trans[e.From%sched.NumStates][e.To%sched.NumStates]++
	}
	m.recent = append(m.recent, *e)
	if len(m.recent) > 2*RecentMax {
		m.recent = append(m.recent[:0], m.recent[len(m.recent)-RecentMax:]...)
	}
	if len(m.events)%KeyEvery == 0 {
		m.keys = append(m.keys, keyframe{len(m.events), m.now.Clone()})
	}
}

// Sync replaces the live state with a target snapshot taken after every
// event added so far, keeps it as a keyframe and learns names from it.
// Statistics the target does not know (Since, Switches) and, while the
// target reports an interrupt pending, the raised request ids are carried over.
func (m *Model) Sync(s *Snapshot) {
	s = s.Clone()
	for i := range s.Cos {
		c := &s.Cos[i]
		if old := m.now.Co(c.ID); old != nil {
			c.Since, c.Switches = old.Since, old.Switches
		}
	}
	for i := range s.Procs {
		p := &s.Procs[i]
		if old := m.now.Proc(p.ID); old != nil && p.UintrPending {
			p.raised = slices.Clone(old.raised) // the target does not report which requests are raised
		} else {
			p.raised = nil
		}
	}
	if s.Time < m.now.Time {
		s.Time = m.now.Time
	}
	m.now = s
	m.Learn(s)
	k := keyframe{len(m.events), s.Clone()}
	if last := &m.keys[len(m.keys)-1]; last.n == k.n {
		*last = k
	} else {
		m.keys = append(m.keys, k)
	}
}

// Learn records the names in s without taking it as state (for a snapshot
// that is not aligned with the events, e.g. one taken before the first
// events were drained).
func (m *Model) Learn(s *Snapshot) {
	for _, c := range s.Cos {
		if c.Name != "" {
			m.names[c.ID] = c.Name
		}
	}
	for _, p := range s.Procs {
		if p.Name != "" {
			m.pnames[p.ID] = p.Name
		}
	}
	for id, li := range m.laneOf {
		if n := m.names[id]; n != "" {
			m.lanes[li].Name = n
		}
	}
	m.name(m.now)
}

// name fills in known names.
func (m *Model) name(s *Snapshot) {
	for i := range s.Cos {
		if s.Cos[i].Name == "" {
			s.Cos[i].Name = m.names[s.Cos[i].ID]
		}
	}
	for i := range s.Procs {
		if s.Procs[i].Name == "" {
			s.Procs[i].Name = m.pnames[s.Procs[i].ID]
		}
	}
}

// Now returns the live state. Callers must not modify it.
func (m *Model) Now() *Snapshot { return m.now }

// Start and End return the time span of the events.
func (m *Model) Start() uint64 { return m.start }

// End returns the time of the last event (or of the last snapshot).
func (m *Model) End() uint64 { return m.now.Time }

// Events returns every event added, in order. Callers must not modify it.
func (m *Model) Events() []sched.Event { return m.events }

// Len returns the number of events.
func (m *Model) Len() int { return len(m.events) }

// Lost returns how many events are missing from the sequence numbers
// (the target's trace ring overflowed); the next snapshot corrects the
// state, but the timeline has a gap.
func (m *Model) Lost() uint64 { return m.lost }

// Keyframes returns the number of keyframes.
func (m *Model) Keyframes() int { return len(m.keys) }

// At returns the system state right after the last event at or before t.
func (m *Model) At(t uint64) *Snapshot {
	n := sort.Search(len(m.events), func(i int) bool { return m.events[i].Time > t })
	k := sort.Search(len(m.keys), func(i int) bool { return m.keys[i].n > n }) - 1
	s := m.keys[k].snap.Clone()
	for i := m.keys[k].n; i < n; i++ {
		s.Apply(&m.events[i])
	}
	m.name(s)
	if t > s.Time {
		s.Time = t
	}
	return s
}

// Transitions returns how often each From→To transition happened.
func (m *Model) Transitions() [sched.NumStates][sched.NumStates]int { return m.trans }

// Recent returns up to RecentMax of the latest state-changing and marker
// events, oldest first.
func (m *Model) Recent() []sched.Event {
	if len(m.recent) > RecentMax {
		return m.recent[len(m.recent)-RecentMax:]
	}
	return m.recent
}

// CoName returns a coroutine's name, or "" when none is known.
func (m *Model) CoName(id uint32) string { return m.names[id] }

// ProcName returns a process's name, or "" when none is known.
func (m *Model) ProcName(id uint16) string { return m.pnames[id] }
