package export

import (
	"encoding/json"
	"fmt"
	"io"
)

// Stats counts what a trace holds, by kind.
type Stats struct {
	Slices, Counters, Flows, Tracks int
}

// Check parses a Perfetto JSON trace (strictly: unknown fields are an
// error) and checks its structure: every slice has a non-negative
// duration on a named thread of a named process, and every flow is one
// start followed, no earlier, by one finish. The tests run it on sandbox
// and kernel recordings alike.
func Check(r io.Reader) (Stats, error) {
	var tr Trace
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tr); err != nil {
		return Stats{}, fmt.Errorf("not a trace in the trace event format: %w", err)
	}
	type key struct{ pid, tid int }
	named := map[key]bool{}
	flows := map[string][]TraceEvent{}
	var st Stats
	for _, e := range tr.TraceEvents {
		switch e.Ph {
		case "M":
			named[key{e.Pid, e.Tid}] = true
			if e.Name == "thread_name" {
				st.Tracks++
			}
		case "X":
			st.Slices++
			if e.Dur == nil || *e.Dur < 0 || !named[key{e.Pid, e.Tid}] || !named[key{e.Pid, 0}] {
				return st, fmt.Errorf("slice %q at %v on pid %d tid %d: no duration, negative, or on an unnamed track", e.Name, e.Ts, e.Pid, e.Tid)
			}
		case "C":
			st.Counters++
		case "s", "f":
			flows[e.ID] = append(flows[e.ID], e)
		}
	}
	for id, f := range flows {
		if len(f) != 2 || f[0].Ph != "s" || f[1].Ph != "f" || f[0].Ts > f[1].Ts {
			return st, fmt.Errorf("flow %s: want one start then one later finish, have %d events", id, len(f))
		}
	}
	st.Flows = len(flows)
	return st, nil
}
