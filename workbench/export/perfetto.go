// Package export writes a model's timeline in the Chrome trace event
// format (JSON object form), which the Perfetto UI and chrome://tracing
// open. Mapping:
//
//   - each process → a trace process (pid = process id + 1, named);
//     each coroutine → a thread track in it (tid = coroutine id, named);
//   - each state interval of a coroutine → a complete slice ("X") named
//     after the state (Exited is not drawn), zero-length ones included: a
//     coroutine woken, run and blocked again at one instant shows its
//     Ready and Running slices, not two Blocked slices in a row;
//   - harts → threads of an extra "harts" process, slices named after the
//     coroutine they run;
//   - each process's ready-queue length → a counter ("C") "ready";
//   - each wakeup → a flow from the waker to the woken coroutine's Ready
//     slice. The source is a zero-length slice named after the wakeup:
//     on the waking coroutine's track for a coroutine's wake, on the
//     "I/O completions" track of the "kernel" process at io-done for a
//     user-interrupt wakeup (the device completed the I/O), on its
//     "kernel wakeups" track for a timer or a thread the kernel woke.
//     Flows are bound to slices by id ("bind_id" with "flow_out" on the
//     source, "flow_in" on the woken slice), not by timestamp: at a
//     wakeup the Blocked slice ends exactly where Ready begins, so a
//     flow event placed at that instant could bind to either;
//   - user-interrupt chain stages → instant events ("i") on the waiting
//     coroutine's track.
//
// Timestamps are microseconds. Every time and duration is computed in
// integer nanoseconds and divided by 1000 only when written, so a 6,660 ns
// slice reads 6.66 and consecutive slices meet exactly.
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

// HartsPid is the trace process holding the hart tracks; KernelPid holds
// the sources of wakeups that no coroutine made, on the tracks IOTid and
// KernelTid.
const (
	HartsPid  = 100000
	KernelPid = 100001
	IOTid     = 1
	KernelTid = 2
)

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
	// Flow binding of a slice (flow events version 2).
	BindID  uint64 `json:"bind_id,omitempty"`
	FlowIn  bool   `json:"flow_in,omitempty"`
	FlowOut bool   `json:"flow_out,omitempty"`
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
	e.slices() // and the flows
	e.harts()
	e.counters()
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
	if len(e.m.Flows()) > 0 {
		e.meta("process_name", KernelPid, 0, "kernel")
		e.meta("thread_name", KernelPid, IOTid, "I/O completions")
		e.meta("thread_name", KernelPid, KernelTid, "kernel wakeups")
	}
	for _, h := range e.m.HartLanes() {
		e.meta("thread_name", HartsPid, int(h.Hart), "hart "+strconv.Itoa(int(h.Hart)))
	}
}

func (e *emitter) slice(name, cat string, p, t int, from, to uint64, args map[string]any) {
	e.put(e.sliceEvent(name, cat, p, t, from, to, args))
}

func (e *emitter) sliceEvent(name, cat string, p, t int, from, to uint64, args map[string]any) *TraceEvent {
	d := us(to - from) // integer nanoseconds first: no float rounding in the difference
	return &TraceEvent{Name: name, Cat: cat, Ph: "X", Ts: us(from), Dur: &d, Pid: p, Tid: t, Args: args}
}

// open is a coroutine's current state interval while slices walks the
// events.
type open struct {
	s     sched.State
	since uint64
	proc  uint16
	bind  uint64 // flow id ending on this slice, or 0
	first bool   // the state before a coroutine's first event
}

// slices writes every state interval of every coroutine, walking the
// events (the timeline's lanes merge changes at one instant, the export
// keeps them), and the wakeup flows with their source slices.
func (e *emitter) slices() {
	flows := e.m.Flows()
	nflow := 0
	cur := map[uint32]*open{}
	for i := range e.m.Events() {
		ev := &e.m.Events()[i]
		o := cur[ev.Co]
		if o == nil {
			o = &open{s: ev.From, since: ev.Time, proc: ev.Proc, first: true}
			cur[ev.Co] = o
		}
		if ev.From == ev.To {
			continue
		}
		e.closeSlice(ev.Co, o, ev.Time)
		*o = open{s: ev.To, since: ev.Time, proc: ev.Proc}
		if ev.From == sched.Blocked && ev.To == sched.Ready && nflow < len(flows) {
			// The model records a flow for exactly these events, in order.
			if f := &flows[nflow]; f.To == ev.Co && f.T == ev.Time {
				o.bind = uint64(nflow + 1)
				e.flowSource(f, o.bind)
			}
			nflow++
		}
	}
	end := e.m.End()
	for _, l := range e.m.Lanes() {
		if o := cur[l.ID]; o != nil {
			e.closeSlice(l.ID, o, max(end, o.since))
		}
	}
}

func (e *emitter) closeSlice(co uint32, o *open, to uint64) {
	if o.s == sched.Exited || (o.first && to == o.since) {
		return // no interval: created and spawned by one event
	}
	ev := e.sliceEvent(o.s.String(), "state", pid(o.proc), int(co), o.since, to, nil)
	if o.bind != 0 {
		ev.BindID, ev.FlowIn = o.bind, true
	}
	e.put(ev)
}

// flowSource writes the zero-length slice a wakeup's flow starts from.
func (e *emitter) flowSource(f *model.Flow, id uint64) {
	woken := e.m.CoName(f.To)
	if woken == "" {
		woken = "co"
	}
	name := fmt.Sprintf("%s → %s #%d", f.Cause, woken, f.To)
	args := map[string]any{"woken": f.To}
	p, t := KernelPid, KernelTid
	switch src := e.m.LaneOf(f.From); {
	case f.Cause == sched.CauseUintr:
		p, t = KernelPid, IOTid
		name = fmt.Sprintf("io-done req=%d → %s #%d", f.Req, woken, f.To)
		args["req"] = f.Req
	case src >= 0 && f.Cause == sched.CauseWake:
		p, t = pid(e.m.Lanes()[src].Proc), int(f.From)
	}
	ev := e.sliceEvent(name, "wakeup", p, t, f.FromT, f.FromT, args)
	ev.BindID, ev.FlowOut = id, true
	e.put(ev)
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
