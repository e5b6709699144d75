package sandbox

import (
	"fmt"
	"io"
	"text/tabwriter"

	"copslab/sched"
)

// Namer names processes and coroutines for display; *Sim is one.
type Namer interface {
	ProcName(slot uint16) string
	CoName(id uint32) string
}

// FormatEvent renders one event as a trace line:
//
//	t=12.000us  #41 hart0 app        reader     p0 Blocked→Ready  uintr  req=3
func FormatEvent(e sched.Event, n Namer) string {
	hart := "dev  "
	if e.Hart != sched.NoHart {
		hart = fmt.Sprintf("hart%d", e.Hart)
	}
	proc, co := fmt.Sprint(e.Proc), fmt.Sprintf("co%#x", e.Co)
	if n != nil {
		if s := n.ProcName(e.Proc); s != "" {
			proc = s
		}
		if s := n.CoName(e.Co); s != "" {
			co = s
		}
	}
	tr := fmt.Sprintf("%v→%v", e.From, e.To)
	if e.From == e.To {
		tr = fmt.Sprintf("(%v)", e.From)
	}
	line := fmt.Sprintf("t=%-12s #%-5d %s %-14s %-12s p%d %-20s %s",
		FormatNS(e.Time), e.Seq, hart, proc, co, e.Prio, tr, e.Cause)
	switch e.Cause {
	case sched.CauseIOSubmit, sched.CauseIODone, sched.CauseUintrSend, sched.CauseUintr, sched.CauseUintrDeliver:
		line += fmt.Sprintf(" req=%d", e.Arg)
	case sched.CauseBlock, sched.CauseWake:
		if e.Arg != 0 {
			line += fmt.Sprintf(" req=%d", e.Arg)
		}
	case sched.CauseSetPrio:
		line += fmt.Sprintf(" old=p%d", e.Arg)
	case sched.CausePlace:
		if e.Arg == uint64(sched.NoProc) {
			line += " proc=none"
		} else {
			line += fmt.Sprintf(" proc=%d", e.Arg)
		}
	}
	if e.Waker != sched.NoWaker && n != nil {
		line += " by " + n.CoName(e.Waker)
	}
	return line
}

// FormatNS renders virtual nanoseconds compactly (ns, us, ms or s).
func FormatNS(ns uint64) string {
	switch {
	case ns < 1_000:
		return fmt.Sprintf("%dns", ns)
	case ns < 1_000_000:
		return fmt.Sprintf("%.3fus", float64(ns)/1e3)
	case ns < 1_000_000_000:
		return fmt.Sprintf("%.3fms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.3fs", float64(ns)/1e9)
}

// WriteTrace writes one FormatEvent line per event.
func WriteTrace(w io.Writer, events []sched.Event, n Namer) error {
	for _, e := range events {
		if _, err := fmt.Fprintln(w, FormatEvent(e, n)); err != nil {
			return err
		}
	}
	return nil
}

// WriteSummary writes the summary tables: per priority, per process, per
// coroutine, per hart, and the totals.
func WriteSummary(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	state := "finished"
	if !s.Done {
		state = "stopped"
	}
	fmt.Fprintf(w, "scenario %s %s at %s: %d events, %d preemptions, %d process switches, %d coroutine switches, %d user interrupts, ring overflow %d\n\n",
		s.Scenario, state, FormatNS(s.Now), s.Events, s.Preemptions, s.ProcSwitches, s.CoSwitches, s.Uintrs, s.Overflow)
	fmt.Fprintln(tw, "prio\tcoroutines\tfinished\trequests\tmean latency\tmax latency\tmean finish\tlast finish\t")
	for _, p := range s.Prios {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", p.Prio, p.Cos, p.Finished, p.Requests,
			FormatNS(p.MeanLatency), FormatNS(p.MaxLatency), FormatNS(p.MeanFinish), FormatNS(p.LastFinish))
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "process\tmode\tcoroutines\trequests\tmean latency\tmax latency\t\t\t")
	for _, p := range s.Procs {
		fmt.Fprintf(tw, "%s\t%v\t%d\t%d\t%s\t%s\t\t\t\n", p.Name, p.Mode, p.Cos, p.Requests,
			FormatNS(p.MeanLatency), FormatNS(p.MaxLatency))
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "coroutine\tprocess\tprio\tstate\trequests\tmean latency\tmax latency\tswitches\tfinished\t")
	for _, c := range s.Cos {
		fin := "-"
		if c.State == sched.Exited {
			fin = FormatNS(c.Finished)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%v\t%d\t%s\t%s\t%d\t%s\t\n", c.Name, c.Proc, c.Prio, c.State, c.Requests,
			FormatNS(c.MeanLatency), FormatNS(c.MaxLatency), c.Switches, fin)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "hart\tbusy\toverhead\tidle\t\t\t\t\t")
	for _, h := range s.Harts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\t\t\t\t\n", h.Hart, FormatNS(h.Busy), FormatNS(h.Overhead), FormatNS(h.Idle))
	}
	return tw.Flush()
}
