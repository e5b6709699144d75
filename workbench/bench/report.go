package bench

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Report writes the results as Markdown: per experiment what was
// measured beside the paper's figure and their ratio, failed boots, and
// the model's prediction beside the measurement.
func Report(w io.Writer, mode Mode, results []*Result) {
	fmt.Fprintf(w, "# Experiments on the copslab kernel (%s mode)\n\n", mode)
	fmt.Fprintf(w, "Guest time under QEMU -icount shift=0 (1 instruction = 1 ns), one hart, -m 512M.\n\n")
	for _, res := range results {
		fmt.Fprintf(w, "## %s — %s\n\n", res.Exp.Name, res.Exp.Title)
		switch {
		case res.Exp.Report != nil:
			res.Exp.Report(w, res.Records)
		case res.Exp.Name == "web":
			reportWeb(w, res.Records)
		case res.Exp.Name == "switch":
			fmt.Fprintf(w, "| switch | instructions | cycles |\n|---|---:|---:|\n")
			for _, r := range res.Records {
				fmt.Fprintf(w, "| %s | %s | %s |\n", r.Get("kind"), r.Get("instructions"), dash(r.Get("cycles")))
			}
			fmt.Fprintln(w, "\nThe paper published no switch cost.")
		case res.Exp.Name == "prio-uart":
			fmt.Fprintf(w, "| priority | first line | latency (µs) |\n|---:|---:|---:|\n")
			for _, r := range res.Records {
				ns, _ := num(r, "latency_ns")
				fmt.Fprintf(w, "| %s | %s | %.0f |\n", r.Get("prio"), r.Get("first_line"), ns/1e3)
			}
			fmt.Fprintln(w, "\nThe paper's serial-port experiment reports output order, not a latency table.")
		}
		for _, f := range res.Failed {
			fmt.Fprintf(w, "\n- failed: %s", f)
		}
		if len(res.Failed) > 0 {
			fmt.Fprintln(w)
		}
		for _, p := range res.PNGs {
			fmt.Fprintf(w, "\n![%s](%s)\n", p, baseName(p))
		}
		fmt.Fprintln(w)
	}
	ModelSection(w, results)
}

func reportWeb(w io.Writer, rs []Record) {
	fmt.Fprintf(w, "| form | conns | req/s | mean (ms) | p99 (ms) | threads | Go Sys (KiB) |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		mean, _ := num(r, "mean_ns")
		p99, _ := num(r, "p99_ns")
		fmt.Fprintf(w, "| %s | %s | %s | %.3f | %.3f | %s | %s |\n", r.Get("form"), r.Get("conns"), r.Get("req_per_s"),
			mean/1e6, p99/1e6, r.Get("threads"), r.Get("sys_kib"))
	}
	most := map[string]float64{}
	for _, r := range rs {
		c, _ := num(r, "conns")
		most[r.Get("form")] = max(most[r.Get("form")], c)
	}
	fmt.Fprintf(w, "\nMost connections served in this run (of those tried; failed boots below):")
	for _, f := range WebForms {
		fmt.Fprintf(w, " %s %.0f;", f, most[f])
	}
	fmt.Fprintf(w, " the paper's FPGA (memory-bound): coroutine %d, thread %d.\n", PaperMaxConns["coroutine"], PaperMaxConns["thread"])
	fmt.Fprintf(w, "\nBeside the paper (its QEMU, 4 harts, 5 s; ours: one hart, guest time):\n\n")
	fmt.Fprintf(w, "| figure | ours | paper | ours / paper |\n|---|---:|---:|---:|\n")
	for _, pt := range PaperWebMeanLatencyMS {
		if r, ok := find(rs, pt.Form, pt.Conns); ok {
			mean, _ := num(r, "mean_ns")
			fmt.Fprintf(w, "| %s mean latency, %d conns (ms) | %.3f | %.2f | %s |\n", pt.Form, pt.Conns, mean/1e6, pt.Value, ratio(mean/1e6, pt.Value))
		} else {
			fmt.Fprintf(w, "| %s mean latency, %d conns (ms) | not measured | %.2f | — |\n", pt.Form, pt.Conns, pt.Value)
		}
	}
	for _, pt := range PaperWebRequests5s {
		if r, ok := find(rs, pt.Form, pt.Conns); ok {
			rps, _ := num(r, "req_per_s")
			fmt.Fprintf(w, "| %s requests per 5 s, %d conns | %.0f | %.0f | %s |\n", pt.Form, pt.Conns, rps*5, pt.Value, ratio(rps*5, pt.Value))
		} else {
			fmt.Fprintf(w, "| %s requests per 5 s, %d conns | not measured | %.0f | — |\n", pt.Form, pt.Conns, pt.Value)
		}
	}
	fmt.Fprintf(w, "\nGoals at %d connections, measured in this run:", GoalConns)
	if g, ok := WebGoals(rs); ok {
		fmt.Fprintf(w, " throughput coroutine/thread %.2f× (goal ≥ 10×, the paper 8.8×); mean latency thread/coroutine %.2f× (goal ≥ 70×, the paper 70×).", g.Throughput, g.Latency)
		if g, ok := formGoals(rs, "coroutine-sync"); ok {
			fmt.Fprintf(w, " The same coroutines with synchronous calls (coroutine-sync): %.2f× and %.2f×.", g.Throughput, g.Latency)
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintf(w, " not measured (no coroutine and thread point at %d connections).\n", GoalConns)
	}
}

// GoalConns is where the web server's goal ratios are taken.
const GoalConns = 128

// Goals are the web server's goal ratios.
type Goals struct {
	Throughput float64 // coroutine req/s over thread req/s
	Latency    float64 // thread mean latency over coroutine mean latency
}

// WebGoals computes the goal ratios at GoalConns from one run's records.
func WebGoals(rs []Record) (Goals, bool) { return formGoals(rs, "coroutine") }

// formGoals computes the goal ratios of a coroutine form against the
// thread form.
func formGoals(rs []Record, form string) (Goals, bool) {
	co, ok1 := find(rs, form, GoalConns)
	th, ok2 := find(rs, "thread", GoalConns)
	if !ok1 || !ok2 {
		return Goals{}, false
	}
	cr, _ := num(co, "req_per_s")
	tr, _ := num(th, "req_per_s")
	cm, _ := num(co, "mean_ns")
	tm, _ := num(th, "mean_ns")
	if tr == 0 || cm == 0 {
		return Goals{}, false
	}
	return Goals{Throughput: cr / tr, Latency: tm / cm}, true
}

// find returns the web record of a form ("coroutine" is the paper's
// name of the COPS form) at conns.
func find(rs []Record, form string, conns int) (Record, bool) {
	for _, r := range rs {
		if c, _ := num(r, "conns"); r.Get("form") == form && int(c) == conns {
			return r, true
		}
	}
	return Record{}, false
}

func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a/b) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// ModelSection writes the model's predictions beside the kernel's
// measurements (see model.go), or why there are none.
func ModelSection(w io.Writer, results []*Result) {
	fmt.Fprintf(w, "## model vs kernel — the sandbox calibrated from the kernel's costs\n\n")
	var sw, web []Record
	for _, r := range results {
		switch r.Exp.Name {
		case "switch":
			sw = r.Records
		case "web":
			web = r.Records
		}
	}
	c, err := Calibrate(sw, web)
	if err != nil {
		fmt.Fprintf(w, "No prediction: %v.\n\n", err)
		return
	}
	ps, err := PredictWeb(c, web)
	if err != nil {
		fmt.Fprintf(w, "No prediction: %v.\n\n", err)
		return
	}
	fmt.Fprintf(w, "Calibration: thread switch %d ns, coroutine switch %d ns, a request's other work %d ns (from the thread server at 1 connection), window %d ms. ",
		c.SwitchNS, c.CoSwitchNS, c.WorkNS, c.WindowNS/1e6)
	fmt.Fprintf(w, "The thread server's 1-connection row is the calibration point; the model holds at most %d connections. ", ModelMaxConns)
	fmt.Fprintf(w, "The coroutine rows are the model's paper form (async arrivals by user interrupt) beside the kernel's coroutine form (async calls completed by user interrupts).\n\n")
	fmt.Fprintf(w, "| form | conns | model req/s | kernel req/s | error | model mean (ms) | kernel mean (ms) | error |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range ps {
		er, em := p.Error()
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f | %+.0f%% | %.3f | %.3f | %+.0f%% |\n", p.Form, p.Conns, p.ReqPerS, p.KReqPerS, 100*er, p.MeanNS/1e6, p.KMeanN/1e6, 100*em)
	}
	fmt.Fprintf(w, "\nNo model: the goroutine form (the sandbox has no Go runtime scheduler), web-prio (64 connections and 64 client threads exceed the sandbox's 63 slots), web-max (the sandbox models no memory), switch (the model's input), prio-uart (console output is not modelled).\n")
	fmt.Fprintln(w)
}
