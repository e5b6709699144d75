package model

import "copslab/sched"

// Sample is one value of a counter from time T on.
type Sample struct {
	T uint64
	N int
}

// Counter is a value over time, e.g. a process's ready-queue length.
type Counter struct {
	Proc    uint16
	Samples []Sample
}

// QueueCounters returns, per process, the number of ready coroutines over
// time (one sample per change), by ascending process id.
func (m *Model) QueueCounters() []*Counter {
	out := make([]*Counter, 0, len(m.queues))
	for _, p := range m.now.Procs {
		if c, ok := m.queues[p.ID]; ok {
			out = append(out, c)
		}
	}
	return out
}

func (m *Model) counter(e *sched.Event) {
	p := m.now.Proc(e.Proc)
	if p == nil {
		return
	}
	c, ok := m.queues[e.Proc]
	if !ok {
		c = &Counter{Proc: e.Proc}
		m.queues[e.Proc] = c
	}
	n := p.Ready()
	last := len(c.Samples) - 1
	switch {
	case last >= 0 && c.Samples[last].N == n:
	case last >= 0 && c.Samples[last].T == e.Time:
		c.Samples[last].N = n
	default:
		c.Samples = append(c.Samples, Sample{e.Time, n})
	}
}
