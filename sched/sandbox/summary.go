package sandbox

import "copslab/sched"

// Summary is the result table of a run. Times are virtual nanoseconds.
type Summary struct {
	Scenario     string
	Now          uint64
	Done         bool
	Cos          []CoStats   // in spawn order
	Prios        []PrioStats // priorities that have coroutines, best first
	Procs        []ProcStats // one per scenario process
	Harts        []HartStats
	Events       int    // trace events recorded
	Overflow     uint64 // events the ring dropped (0 unless a reader fell behind)
	Preemptions  int    // timer/priority preemptions (CausePreempt)
	ProcSwitches int    // a hart changed process/thread
	CoSwitches   int    // a process changed coroutine
	Uintrs       int    // user-interrupt handler runs
}

// CoStats describes one coroutine (or thread).
type CoStats struct {
	ID          uint32
	Name        string
	Proc        string
	Prio        uint8
	State       sched.State
	Spawned     uint64
	Finished    uint64 // 0 while not exited
	Requests    int    // completed runs of the work list
	MeanLatency uint64 // mean time per request
	MaxLatency  uint64
	Switches    int // times it got a hart (fetch or resume)
	latSum      uint64
}

// PrioStats aggregates the coroutines of one priority.
type PrioStats struct {
	Prio        uint8
	Cos         int
	Finished    int
	Requests    int
	MeanLatency uint64 // mean over all requests of this priority
	MaxLatency  uint64
	MeanFinish  uint64 // mean exit time of the finished ones
	LastFinish  uint64
}

// ProcStats aggregates one scenario process (all its threads).
type ProcStats struct {
	Name        string
	Mode        Mode
	Cos         int
	Requests    int
	MeanLatency uint64
	MaxLatency  uint64
}

// HartStats says how a hart spent its time.
type HartStats struct {
	Hart     int
	Busy     uint64 // running coroutine work
	Overhead uint64 // switch and interrupt-handler costs
	Idle     uint64
}

// account updates the counters from one drained event.
func (s *Sim) account(e sched.Event) {
	s.count.events++
	c := s.cos[e.Co]
	if e.Cause == sched.CauseSetPrio && c != nil {
		c.stats.Prio = e.Prio
	}
	if c != nil && (e.Cause == sched.CauseFetch || e.Cause == sched.CauseResume) {
		c.stats.Switches++
	}
}

// Summary computes the result table so far.
func (s *Sim) Summary() Summary {
	sum := Summary{Scenario: s.sc.Name, Now: s.Now(), Done: s.done, Events: s.count.events,
		Overflow: s.reg.Overflow, Preemptions: s.count.preempts, ProcSwitches: s.count.procSwitches,
		CoSwitches: s.count.coSwitches, Uintrs: s.count.uintrs}
	var prios [sched.NumPrio]PrioStats
	var prioLat [sched.NumPrio]uint64
	procIdx := map[string]int{}
	var procLat []uint64
	for i := range s.sc.Procs {
		procIdx[s.sc.Procs[i].Name] = i
		sum.Procs = append(sum.Procs, ProcStats{Name: s.sc.Procs[i].Name, Mode: s.sc.Procs[i].Mode})
		procLat = append(procLat, 0)
	}
	for _, c := range s.order {
		cs := c.stats
		cs.State, _ = s.reg.StateOf(c.id)
		if cs.Requests > 0 {
			cs.MeanLatency = cs.latSum / uint64(cs.Requests)
		}
		sum.Cos = append(sum.Cos, cs)
		ps := &prios[cs.Prio&7]
		ps.Cos++
		ps.Requests += cs.Requests
		prioLat[cs.Prio&7] += cs.latSum
		ps.MaxLatency = max(ps.MaxLatency, cs.MaxLatency)
		if cs.Finished > 0 || cs.State == sched.Exited {
			ps.Finished++
			ps.MeanFinish += cs.Finished
			ps.LastFinish = max(ps.LastFinish, cs.Finished)
		}
		pi := procIdx[c.p.spec.Name]
		pr := &sum.Procs[pi]
		pr.Cos++
		pr.Requests += cs.Requests
		procLat[pi] += cs.latSum
		pr.MaxLatency = max(pr.MaxLatency, cs.MaxLatency)
	}
	for p := range prios {
		ps := prios[p]
		if ps.Cos == 0 {
			continue
		}
		ps.Prio = uint8(p)
		if ps.Requests > 0 {
			ps.MeanLatency = prioLat[p] / uint64(ps.Requests)
		}
		if ps.Finished > 0 {
			ps.MeanFinish /= uint64(ps.Finished)
		}
		sum.Prios = append(sum.Prios, ps)
	}
	for i := range sum.Procs {
		if sum.Procs[i].Requests > 0 {
			sum.Procs[i].MeanLatency = procLat[i] / uint64(sum.Procs[i].Requests)
		}
	}
	for _, h := range s.harts {
		sum.Harts = append(sum.Harts, h.stats)
	}
	return sum
}
