package ktrace

import "copslab/sched"

// The kernel's COPS side records through these the events its executor
// collected (kernel and user coroutines, placements of processes: see
// kernel/proc/cops.go), each naming its process by pid.

// Now is the trace clock (ns since boot; 0 before SetClock).
func Now() uint64 {
	mu.Lock()
	defer mu.Unlock()
	if clock == nil {
		return 0
	}
	return clock()
}

// Record appends collected events (their Seq is the ring's). An event
// collected after newer ones were recorded — a user coroutine's, read
// from its Local at the decision after it happened, or a kernel
// coroutine's, collected after the thread wake-ups its step made — takes
// the time of the newest recorded event, so the ring's times never go
// back (a viewer replays it in order); its order among the events of its
// own coroutine is unchanged.
func Record(es ...sched.Event) {
	mu.Lock()
	for _, e := range es {
		e.Time = max(e.Time, lastTime)
		lastTime = e.Time
		Buf.put(e)
	}
	mu.Unlock()
}
