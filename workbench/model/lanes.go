package model

import (
	"sort"

	"copslab/sched"
)

// Mark is one state change in a coroutine's lane.
type Mark struct {
	T uint64
	S sched.State
}

// Lane is one coroutine's history: its state from Marks[i].T until
// Marks[i+1].T is Marks[i].S.
type Lane struct {
	ID    uint32
	Proc  uint16
	Kind  sched.Kind
	Name  string
	Marks []Mark
}

// Index returns the index of the mark in force at t, or -1 before the
// first mark.
func (l *Lane) Index(t uint64) int {
	return sort.Search(len(l.Marks), func(i int) bool { return l.Marks[i].T > t }) - 1
}

// HartMark is one change of what a hart runs.
type HartMark struct {
	T  uint64
	Co uint32 // sched.NoCo when idle
}

// HartLane is one hart's history.
type HartLane struct {
	Hart  uint8
	Marks []HartMark
}

// Index returns the index of the mark in force at t, or -1.
func (l *HartLane) Index(t uint64) int {
	return sort.Search(len(l.Marks), func(i int) bool { return l.Marks[i].T > t }) - 1
}

// Lanes returns the coroutine lanes in order of first appearance.
// Callers must not modify them.
func (m *Model) Lanes() []Lane { return m.lanes }

// LaneOf returns the lane index of coroutine id, or -1.
func (m *Model) LaneOf(id uint32) int {
	if i, ok := m.laneOf[id]; ok {
		return i
	}
	return -1
}

// HartLanes returns one lane per hart seen so far.
func (m *Model) HartLanes() []HartLane { return m.harts }

func (m *Model) lane(e *sched.Event) {
	i, ok := m.laneOf[e.Co]
	if !ok {
		i = len(m.lanes)
		m.laneOf[e.Co] = i
		m.lanes = append(m.lanes, Lane{ID: e.Co, Proc: e.Proc, Kind: e.Kind, Name: m.names[e.Co]})
		if e.From != e.To {
			m.lanes[i].Marks = append(m.lanes[i].Marks, Mark{e.Time, e.From})
		}
	}
	if e.From == e.To {
		return
	}
	l := &m.lanes[i]
	if n := len(l.Marks); n > 0 && l.Marks[n-1].T == e.Time {
		l.Marks[n-1].S = e.To
		return
	}
	l.Marks = append(l.Marks, Mark{e.Time, e.To})
}

func (m *Model) hartLane(e *sched.Event) {
	if e.From == e.To || (e.From != sched.Running && e.To != sched.Running) {
		return
	}
	for len(m.harts) <= int(e.Hart) {
		m.harts = append(m.harts, HartLane{Hart: uint8(len(m.harts))})
	}
	l := &m.harts[e.Hart]
	co := e.Co
	if e.To != sched.Running {
		co = sched.NoCo
	}
	if n := len(l.Marks); n > 0 && l.Marks[n-1].T == e.Time {
		if co == sched.NoCo && l.Marks[n-1].Co != e.Co {
			return // another coroutine already took the hart at this instant
		}
		l.Marks[n-1].Co = co
		return
	}
	l.Marks = append(l.Marks, HartMark{e.Time, co})
}
