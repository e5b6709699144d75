package model

// Automatic warnings: patterns in the history that usually mean trouble,
// found while events are added, so views and lesson checks can show them.
//
//   - Starvation: a coroutine stays Ready longer than Limits.Starve while
//     other coroutines are put on harts. Reported once per Ready interval,
//     at the first run of another coroutine past the limit.
//   - Priority inversion: a coroutine H is woken (CauseWake) by a coroutine
//     L of worse priority, and while H was blocked a coroutine M of a
//     priority between them ran while L waited (Ready or Suspended): H, the
//     best, waited on L, which waited on M.
//   - Lost wakeup: a coroutine is still blocked on an I/O request (Block's
//     Arg) Limits.Lost after both its block and the request's completion
//     (io-done), in either order: the completion came and nobody woke it
//     (e.g. it was delivered before the coroutine waited, and dropped).
//   - Interrupt storm: a process has a user interrupt pending without a
//     break for Limits.StormHold, with at least Limits.StormSends
//     interrupts (uintr-send) in that time: they arrive faster than its
//     handler retires them, so it stays boosted to priority 0 and the
//     interrupt path, not the scheduler's priorities, decides who runs.
//
// Detection costs O(1) per event except: starvation scans the Ready
// coroutines only when one of them may be past the limit, and inversion
// scans lanes only at a wake by a worse-priority coroutine.

import (
	"fmt"
	"maps"
	"slices"

	"copslab/sched"
)

// WarnKind is a kind of warning.
type WarnKind uint8

const (
	WarnStarvation WarnKind = iota
	WarnInversion
	WarnLostWakeup
	WarnStorm
	NumWarnKinds
)

var warnNames = [NumWarnKinds]string{"starvation", "priority-inversion", "lost-wakeup", "interrupt-storm"}

func (k WarnKind) String() string {
	if k < NumWarnKinds {
		return warnNames[k]
	}
	return "warning(?)"
}

// WarnKindByName returns the kind called name.
func WarnKindByName(name string) (WarnKind, bool) {
	for k, n := range warnNames {
		if n == name {
			return WarnKind(k), true
		}
	}
	return 0, false
}

// Warning is one detected problem.
type Warning struct {
	Kind   WarnKind
	T      uint64 // when it was detected
	Since  uint64 // when the condition began
	Co     uint32 // the coroutine that suffers (sched.NoCo for a storm)
	Other  uint32 // the coroutine in the way (inversion: the middle one), or NoCo
	Proc   uint16
	Req    uint64 // lost wakeup: the request
	Detail string // human-readable, with ids (views replace them by names)
}

// Limits are the thresholds of the warnings.
type Limits struct {
	Starve     uint64 // ns Ready while others run
	StormHold  uint64 // ns a process's interrupt stays pending without a break
	StormSends int    // uintr-sends to it in that interval
	Lost       uint64 // ns blocked on a completed request
}

// DefaultLimits: 1 ms of starvation (100 quanta of the built-in
// scenarios); a storm is an interrupt pending for 50 µs on end with 8 or
// more interrupts in it (in the built-in scenarios the flag never stays
// set longer than 7 µs); a completed request normally wakes its coroutine
// within a few µs (kernel work, delivery, handler), so 200 µs without a
// wake is a lost wakeup.
var DefaultLimits = Limits{Starve: 1_000_000, StormHold: 50_000, StormSends: 8, Lost: 200_000}

// warnState is the detectors' memory.
type warnState struct {
	list      []Warning
	readyAt   map[uint32]uint64 // Ready coroutines: since when
	starved   map[uint32]bool   // warned during the current Ready interval
	nextDue   uint64            // no Ready coroutine can be past the limit before this
	blockedAt map[uint32]uint64
	doneReq   map[uint64]uint64 // io-done time of each completed request
	blockedOn map[uint64]uint32 // request → the coroutine blocked on it
	lost      map[uint32]lostW  // blocked on a completed request
	lostDue   uint64            // no entry of lost is overdue before this
	pending   map[uint16]*pendingIv
}

// lostW is a coroutine blocked on a completed request since since.
type lostW struct {
	req, since uint64
	warned     bool
}

// pendingIv is a process's current interval with an interrupt pending.
type pendingIv struct {
	since  uint64
	sends  int
	warned bool
}

// Warnings returns every warning so far, in order of detection.
func (m *Model) Warnings() []Warning { return m.warn.list }

// SetLimits changes the thresholds for events added from now on.
func (m *Model) SetLimits(l Limits) { m.limits = l }

func (m *Model) warnings(e *sched.Event) {
	w := &m.warn
	if w.readyAt == nil {
		w.readyAt, w.starved, w.blockedAt = map[uint32]uint64{}, map[uint32]bool{}, map[uint32]uint64{}
		w.doneReq, w.pending = map[uint64]uint64{}, map[uint16]*pendingIv{}
		w.blockedOn, w.lost = map[uint64]uint32{}, map[uint32]lostW{}
	}
	switch e.Cause {
	case sched.CauseIODone:
		w.doneReq[e.Arg] = e.Time
		if co, ok := w.blockedOn[e.Arg]; ok {
			m.watchLost(co, e.Arg, e.Time)
		}
		return
	case sched.CauseUintrSend:
		m.storm(e)
		return
	case sched.CauseUintr:
		m.storm(e) // the handler's wake may end the pending interval
	case sched.CauseSetPrio, sched.CauseIOSubmit:
		return
	}
	if e.From == sched.Ready {
		delete(w.readyAt, e.Co)
		delete(w.starved, e.Co)
	}
	if len(w.lost) > 0 && e.Time > w.lostDue {
		m.lostWakeups(e.Time)
	}
	if e.From == sched.Blocked {
		if e.Cause == sched.CauseWake && e.Waker != sched.NoWaker {
			m.inversion(e, w.blockedAt[e.Co])
		}
		delete(w.blockedAt, e.Co)
		delete(w.lost, e.Co)
		for req, co := range w.blockedOn {
			if co == e.Co {
				delete(w.blockedOn, req)
			}
		}
	}
	switch e.To {
	case sched.Ready:
		if e.From != sched.Ready {
			w.readyAt[e.Co] = e.Time
			if len(w.readyAt) == 1 || e.Time+m.limits.Starve < w.nextDue {
				w.nextDue = e.Time + m.limits.Starve
			}
		}
	case sched.Running:
		if e.Time > w.nextDue {
			m.starvation(e)
		}
	case sched.Blocked:
		w.blockedAt[e.Co] = e.Time
		if e.Arg != 0 {
			w.blockedOn[e.Arg] = e.Co
			if _, done := w.doneReq[e.Arg]; done {
				m.watchLost(e.Co, e.Arg, e.Time)
			}
		}
	}
}

// watchLost starts watching co, blocked on the completed request req.
func (m *Model) watchLost(co uint32, req, t uint64) {
	w := &m.warn
	if len(w.lost) == 0 || t+m.limits.Lost < w.lostDue {
		w.lostDue = t + m.limits.Lost
	}
	w.lost[co] = lostW{req: req, since: t}
}

// lostWakeups warns about watched coroutines blocked past the limit at t.
func (m *Model) lostWakeups(t uint64) {
	w := &m.warn
	next := ^uint64(0)
	for _, id := range slices.Sorted(maps.Keys(w.lost)) {
		l := w.lost[id]
		switch {
		case l.warned:
		case t-l.since > m.limits.Lost:
			l.warned = true
			w.lost[id] = l
			c := m.now.Co(id)
			m.addWarning(Warning{Kind: WarnLostWakeup, T: t, Since: l.since, Co: id, Other: sched.NoCo, Proc: c.Proc, Req: l.req,
				Detail: fmt.Sprintf("#%d is still blocked on request %d, which completed at %s", id, l.req, fmtDur(w.doneReq[l.req]))})
		default:
			next = min(next, l.since+m.limits.Lost)
		}
	}
	w.lostDue = next
}

func (m *Model) addWarning(w Warning) { m.warn.list = append(m.warn.list, w) }

// starvation warns about every Ready coroutine past the limit while e's
// coroutine is put on a hart, and recomputes nextDue.
func (m *Model) starvation(e *sched.Event) {
	w := &m.warn
	next := ^uint64(0)
	for _, id := range slices.Sorted(maps.Keys(w.readyAt)) { // sorted: warnings in a fixed order
		since := w.readyAt[id]
		if id == e.Co || w.starved[id] {
			continue
		}
		if e.Time-since > m.limits.Starve {
			w.starved[id] = true
			c := m.now.Co(id)
			m.addWarning(Warning{Kind: WarnStarvation, T: e.Time, Since: since, Co: id, Other: e.Co, Proc: c.Proc,
				Detail: fmt.Sprintf("#%d (p%d) has been ready for %s while others run", id, c.Prio, fmtDur(e.Time-since))})
			continue
		}
		next = min(next, since+m.limits.Starve)
	}
	w.nextDue = next
}

// inversion checks a wake of e.Co (blocked since t0) by a worse coroutine.
func (m *Model) inversion(e *sched.Event, t0 uint64) {
	hi := e.Prio
	l := m.now.Co(e.Waker)
	if l == nil || l.Prio <= hi+1 {
		return
	}
	li := m.LaneOf(e.Waker)
	if li < 0 {
		return
	}
	for i := range m.lanes {
		mid := &m.lanes[i]
		mc := m.now.Co(mid.ID)
		if mc == nil || mc.Prio <= hi || mc.Prio >= l.Prio {
			continue
		}
		if a, ok := overlapWhile(mid, sched.Running, &m.lanes[li], t0, e.Time); ok {
			m.addWarning(Warning{Kind: WarnInversion, T: e.Time, Since: a, Co: e.Co, Other: mid.ID, Proc: e.Proc,
				Detail: fmt.Sprintf("#%d (p%d) waited for #%d (p%d), which waited while #%d (p%d) ran", e.Co, hi, e.Waker, l.Prio, mid.ID, mc.Prio)})
			return
		}
	}
}

// overlapWhile reports the first time in [t0, t1) when a is in state s
// while b is Ready or Suspended.
func overlapWhile(a *Lane, s sched.State, b *Lane, t0, t1 uint64) (uint64, bool) {
	for i := max(a.Index(t0), 0); i < len(a.Marks) && a.Marks[i].T < t1; i++ {
		if a.Marks[i].S != s {
			continue
		}
		from := max(a.Marks[i].T, t0)
		to := t1
		if i+1 < len(a.Marks) {
			to = min(to, a.Marks[i+1].T)
		}
		for j := max(b.Index(from), 0); j < len(b.Marks) && b.Marks[j].T < to; j++ {
			if st := b.Marks[j].S; st == sched.Ready || st == sched.Suspended {
				end := to
				if j+1 < len(b.Marks) {
					end = min(end, b.Marks[j+1].T)
				}
				if start := max(from, b.Marks[j].T); start < end {
					return start, true
				}
			}
		}
	}
	return 0, false
}

// storm follows the pending flag of e's process (after e was applied):
// a pending interval that lasts StormHold with StormSends interrupts in it
// is a storm, reported once per interval.
func (m *Model) storm(e *sched.Event) {
	w := &m.warn
	p := m.now.Proc(e.Proc)
	if p == nil {
		return
	}
	iv, ok := w.pending[e.Proc]
	switch {
	case !p.UintrPending:
		delete(w.pending, e.Proc)
		return
	case !ok:
		iv = &pendingIv{since: e.Time}
		w.pending[e.Proc] = iv
	}
	if e.Cause == sched.CauseUintrSend {
		iv.sends++
	}
	if !iv.warned && iv.sends >= m.limits.StormSends && e.Time-iv.since >= m.limits.StormHold {
		iv.warned = true
		m.addWarning(Warning{Kind: WarnStorm, T: e.Time, Since: iv.since, Co: sched.NoCo, Other: sched.NoCo, Proc: e.Proc,
			Detail: fmt.Sprintf("process %d has had a user interrupt pending for %s without a break (%d interrupts): it stays boosted to p0", e.Proc, fmtDur(e.Time-iv.since), iv.sends)})
	}
}

// Describe renders a warning with the coroutine and process names the
// model knows (ids where it knows none).
func (m *Model) Describe(w Warning) string {
	co := func(id uint32) string {
		if i := m.LaneOf(id); i >= 0 && m.lanes[i].Name != "" {
			return m.lanes[i].Name
		}
		return fmt.Sprintf("#%d", id)
	}
	proc := m.pnames[w.Proc]
	if proc == "" {
		proc = fmt.Sprintf("process %d", w.Proc)
	}
	s := fmt.Sprintf("%s at %s", w.Kind, fmtDur(w.T))
	switch w.Kind {
	case WarnStarvation:
		s += fmt.Sprintf(": %s ready since %s while others ran", co(w.Co), fmtDur(w.Since))
	case WarnInversion:
		s += fmt.Sprintf(": %s waited for a worse coroutine while %s ran", co(w.Co), co(w.Other))
	case WarnLostWakeup:
		s += fmt.Sprintf(": %s still blocked on request %d, which completed", co(w.Co), w.Req)
	case WarnStorm:
		s += fmt.Sprintf(": %s has had a user interrupt pending since %s", proc, fmtDur(w.Since))
	}
	return s
}

func fmtDur(ns uint64) string {
	switch {
	case ns >= 1_000_000:
		return fmt.Sprintf("%.2fms", float64(ns)/1e6)
	case ns >= 1_000:
		return fmt.Sprintf("%.1fµs", float64(ns)/1e3)
	}
	return fmt.Sprintf("%dns", ns)
}
