// Package export writes a model's timeline in the Chrome trace event
// format (JSON object form), which the Perfetto UI and chrome://tracing
// open. Mapping:
//
//   - each process → a trace process (pid = process id + 1, named);
//     each coroutine → a thread track in it (tid = coroutine id, named);
//   - each state interval of a coroutine → a complete slice ("X") named
//     after the state (Exited is not drawn);
//   - harts → threads of an extra "harts" process, slices named after the
//     coroutine they run;
//   - each process's ready-queue length → a counter ("C") "ready";
//   - each wakeup → a flow ("s" on the waker's track, "f" with bp "e" on
//     the woken coroutine's track); user-interrupt chain stages are
//     instant events ("i") on the waiting coroutine's track.
//
// Timestamps are microseconds (floating point, so nanoseconds survive).
package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"copslab/sched"
	"copslab/workbench/model"
)

// HartsPid is the trace process holding the hart tracks.
const HartsPid = 100000

// TraceEvent is one record of the Chrome trace event format (the subset
// we write; also used by tests to parse a trace back).
type TraceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  *float64       `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	ID   string         `json:"id,omitempty"`
	Bp   string         `json:"bp,omitempty"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"`
}

// Trace is the JSON object form of a trace file.
type Trace struct {
	TraceEvents     []TraceEvent `json:"traceEvents"`
	DisplayTimeUnit string       `json:"displayTimeUnit"`
}

// Perfetto writes m as a Chrome/Perfetto JSON trace.
func Perfetto(w io.Writer, m *model.Model) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	e := &emitter{w: bw, m: m}
	bw.WriteString(`{"displayTimeUnit":"ns","traceEvents":[`)
	e.metadata()
	e.slices()
	e.harts()
	e.counters()
	e.flows()
	e.chains()
	bw.WriteString("\n]}\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

type emitter struct {
	w   *bufio.Writer
	m   *model.Model
	n   int
	err error
}

func us(t uint64) float64 { return float64(t) / 1000 }

func pid(p uint16) int { return int(p) + 1 }

func (e *emitter) put(ev *TraceEvent) {
	if e.err != nil {
		return
	}
	b, err := json.Marshal(ev)
	if err != nil {
		e.err = err
		return
	}
	if e.n > 0 {
		e.w.WriteByte(',')
	}
	e.w.WriteByte('\n')
	e.w.Write(b)
	e.n++
}

func (e *emitter) meta(name string, p, t int, value string) {
	e.put(&TraceEvent{Name: name, Ph: "M", Pid: p, Tid: t, Args: map[string]any{"name": value}})
}

func (e *emitter) coName(l *model.Lane) string {
	if l.Name != "" {
		return fmt.Sprintf("%s #%d", l.Name, l.ID)
	}
	return "co #" + strconv.Itoa(int(l.ID))
}

func (e *emitter) metadata() {
	seen := map[uint16]bool{}
	lanes := e.m.Lanes()
	for i := range lanes {
		l := &lanes[i]
		if !seen[l.Proc] {
			seen[l.Proc] = true
			name := e.m.ProcName(l.Proc)
			if name == "" {
				name = "process " + strconv.Itoa(int(l.Proc))
			}
			e.meta("process_name", pid(l.Proc), 0, name)
		}
		e.meta("thread_name", pid(l.Proc), int(l.ID), e.coName(l))
	}
	if len(e.m.HartLanes()) > 0 {
		e.meta("process_name", HartsPid, 0, "harts")
	}
	for _, h := range e.m.HartLanes() {
		e.meta("thread_name", HartsPid, int(h.Hart), "hart "+strconv.Itoa(int(h.Hart)))
	}
}

func (e *emitter) slice(name, cat string, p, t int, from, to uint64, args map[string]any) {
	d := us(to) - us(from)
	e.put(&TraceEvent{Name: name, Cat: cat, Ph: "X", Ts: us(from), Dur: &d, Pid: p, Tid: t, Args: args})
}

func (e *emitter) slices() {
	end := e.m.End()
	for _, l := range e.m.Lanes() {
		for i, mk := range l.Marks {
			if mk.S == sched.Exited {
				continue
			}
			to := end
			if i+1 < len(l.Marks) {
				to = l.Marks[i+1].T
			}
			e.slice(mk.S.String(), "state", pid(l.Proc), int(l.ID), mk.T, to, nil)
		}
	}
}

func (e *emitter) harts() {
	end := e.m.End()
	for _, h := range e.m.HartLanes() {
		for i, mk := range h.Marks {
			if mk.Co == sched.NoCo {
				continue
			}
			to := end
			if i+1 < len(h.Marks) {
				to = h.Marks[i+1].T
			}
			name := e.m.CoName(mk.Co)
			if name == "" {
				name = "co"
			}
			e.slice(fmt.Sprintf("%s #%d", name, mk.Co), "hart", HartsPid, int(h.Hart), mk.T, to, map[string]any{"co": mk.Co})
		}
	}
}

func (e *emitter) counters() {
	for _, c := range e.m.QueueCounters() {
		for _, s := range c.Samples {
			e.put(&TraceEvent{Name: "ready", Ph: "C", Ts: us(s.T), Pid: pid(c.Proc), Args: map[string]any{"ready": s.N}})
		}
	}
}

func (e *emitter) flows() {
	lanes := e.m.Lanes()
	for i, f := range e.m.Flows() {
		src, dst := e.m.LaneOf(f.From), e.m.LaneOf(f.To)
		if src < 0 || dst < 0 {
			continue // a timer or an unknown source has no track to start from
		}
		id := strconv.Itoa(i + 1)
		name := f.Cause.String()
		e.put(&TraceEvent{Name: name, Cat: "wakeup", Ph: "s", Ts: us(f.FromT), Pid: pid(lanes[src].Proc), Tid: int(f.From), ID: id})
		e.put(&TraceEvent{Name: name, Cat: "wakeup", Ph: "f", Bp: "e", Ts: us(f.T), Pid: pid(lanes[dst].Proc), Tid: int(f.To), ID: id})
	}
}

func (e *emitter) chains() {
	for _, c := range e.m.Chains() {
		lat, ok := c.Stages()
		args := map[string]any{"req": c.Req}
		for i, n := range model.StageNames {
			if ok[i] {
				args[n+"_us"] = us(lat[i])
			}
		}
		for i, t := range []uint64{c.Submit, c.Done, c.Send, c.Wake} {
			if c.Seen(i) {
				e.put(&TraceEvent{Name: chainStage[i], Cat: "uintr", Ph: "i", S: "t", Ts: us(t), Pid: pid(c.Proc), Tid: int(c.Co), Args: args})
			}
		}
	}
}

var chainStage = [4]string{"io-submit", "io-done", "uintr-send", "uintr-wake"}
