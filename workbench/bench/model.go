package bench

import (
	"fmt"
	"math"
	"strings"

	"copslab/sched/sandbox"
)

// The model beside the kernel: the sandbox (sched/sandbox) replays the
// pipe web server as the kernel ran it, with costs taken from the
// kernel's own measurements, and its prediction is set beside what the
// kernel measured at every other point.
//
// The scenario: one hart; a client process and a server process in
// threads mode, one thread each per connection. Client thread i runs
// [compute, signal req-i, wait resp-i] — one run is one request, so the
// model's mean request time is the client's latency; server thread i runs
// [wait req-i, compute, signal resp-i]. A pipe is a counting signal
// (wait/signal), every hand-over between threads costs the thread switch
// switchbench measured (Costs.ProcSwitch), and the compute steps are the
// rest of a request's time at one connection: L1 − 2·switch, half on each
// side. So the one-connection point is the calibration (the model matches
// it by construction) and every other point is a prediction.

//
// The same scenario with the server process in coroutines mode — one
// context, a coroutine per connection, each hand-over inside it the
// coroutine switch coyield measured (iter.Pull coroutines, which have
// stacks as the server's do), a request's arrival delivered as a user
// interrupt (the sandbox's default stage costs) — is the paper's form as
// the model sees it, set beside the kernel's coroutine form (async calls
// completed by user interrupts): the difference is what the kernel's
// async hop (its kernel coroutine, the decisions around it, the
// handler) costs over the model's stage costs, plus the model's own
// error.

// Calibration is what the model takes from the kernel.
type Calibration struct {
	SwitchNS   uint64 // one thread switch (switchbench, guest ns = instructions)
	CoSwitchNS uint64 // one coroutine switch (coyield, iter.Pull coroutines); 0: not measured
	WorkNS     uint64 // one request's work besides its two switches
	WindowNS   uint64 // the measuring window
}

// Calibrate derives the model's costs from the switch and web records.
func Calibrate(switches, web []Record) (Calibration, error) {
	var c Calibration
	for _, r := range switches {
		v, _ := num(r, "instructions")
		switch r.Get("kind") {
		case "thread":
			c.SwitchNS = uint64(v)
		case "coroutine-pull":
			c.CoSwitchNS = uint64(v)
		}
	}
	one, ok := find(web, "thread", 1)
	if c.SwitchNS == 0 || !ok {
		return c, fmt.Errorf("calibration needs the thread switch cost and the thread server at 1 connection")
	}
	l1, _ := num(one, "mean_ns")
	w, _ := num(one, "window_ms")
	c.WindowNS = uint64(w * 1e6)
	if work := l1 - 2*float64(c.SwitchNS); work > 0 {
		c.WorkNS = uint64(work)
	}
	return c, nil
}

// Prediction is the model's result for one form and connection count.
type Prediction struct {
	Form             string // the kernel's form the prediction is set beside
	Conns            int
	ReqPerS, MeanNS  float64 // the model's
	KReqPerS, KMeanN float64 // the kernel's
}

// Error returns the relative errors (model/kernel − 1) of throughput and
// mean latency.
func (p Prediction) Error() (reqs, mean float64) {
	return p.ReqPerS/p.KReqPerS - 1, p.MeanNS/p.KMeanN - 1
}

// webScenario writes the scenario for conns connections, the server in
// mode (threads or coroutines).
func webScenario(c Calibration, conns int, mode string) string {
	const tickNS = 100
	ticks := func(ns uint64) uint64 { return max(1, (ns+tickNS/2)/tickNS) }
	var b strings.Builder
	fmt.Fprintf(&b, "name: web-model\ndescription: pipe web server, %d connections, calibrated from the kernel\n", conns)
	fmt.Fprintf(&b, "harts: 1\ntick_ns: %d\nquantum: 100000\nuntil: %d\n", tickNS, c.WindowNS/tickNS)
	fmt.Fprintf(&b, "costs: {coswitch: %d, procswitch: %d}\nprocesses:\n", ticks(c.CoSwitchNS), ticks(c.SwitchNS))
	half := ticks(c.WorkNS / 2)
	for _, side := range []string{"client", "server"} {
		m := "threads"
		if side == "server" {
			m = mode
		}
		fmt.Fprintf(&b, "  - name: %s\n    mode: %s\n    coroutines:\n", side, m)
		for i := range conns {
			if side == "client" {
				fmt.Fprintf(&b, "      - {name: c%d, prio: 3, repeat: 1000000, work: [compute: %d, signal: req%d, wait: resp%d]}\n", i, half, i, i)
			} else {
				fmt.Fprintf(&b, "      - {name: s%d, prio: 3, repeat: 1000000, work: [wait: req%d, compute: %d, signal: resp%d]}\n", i, i, half, i)
			}
		}
	}
	return b.String()
}

// ModelMaxConns is the most connections the model holds: the sandbox's
// process/thread slots (63) take two threads per connection.
const ModelMaxConns = 31

// modelModes are the kernel's forms the model predicts, with the
// server's sandbox mode for each.
var modelModes = []struct{ form, mode string }{{"thread", "threads"}, {"coroutine", "coroutines"}}

// PredictWeb runs the model for every connection count (up to
// ModelMaxConns) the kernel's thread and coroutine servers were
// measured at (the coroutine form only when the coroutine switch was).
func PredictWeb(c Calibration, web []Record) ([]Prediction, error) {
	var ps []Prediction
	for _, fm := range modelModes {
		if fm.mode == "coroutines" && c.CoSwitchNS == 0 {
			continue
		}
		for _, r := range web {
			if r.Get("form") != fm.form {
				continue
			}
			p, ok, err := predictOne(c, r, fm.mode)
			if err != nil {
				return nil, err
			}
			if ok {
				p.Form = fm.form
				ps = append(ps, p)
			}
		}
	}
	return ps, nil
}

// predictOne runs the model at r's connection count (false: more than
// the model holds).
func predictOne(c Calibration, r Record, mode string) (Prediction, bool, error) {
	n, _ := num(r, "conns")
	if n > ModelMaxConns {
		return Prediction{}, false, nil
	}
	sc, err := sandbox.ParseScenario([]byte(webScenario(c, int(n), mode)), "web-model")
	if err != nil {
		return Prediction{}, false, err
	}
	sim, err := sandbox.New(sc)
	if err != nil {
		return Prediction{}, false, err
	}
	if _, err := sim.Run(); err != nil {
		return Prediction{}, false, err
	}
	s := sim.Summary()
	var client sandbox.ProcStats
	for _, p := range s.Procs {
		if p.Name == "client" {
			client = p
		}
	}
	p := Prediction{Conns: int(n), ReqPerS: float64(client.Requests) * 1e9 / float64(c.WindowNS), MeanNS: float64(client.MeanLatency)}
	p.KReqPerS, _ = num(r, "req_per_s")
	p.KMeanN, _ = num(r, "mean_ns")
	if math.IsNaN(p.MeanNS) {
		p.MeanNS = 0
	}
	return p, true, nil
}
