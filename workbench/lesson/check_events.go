package lesson

import (
	"fmt"
	"strings"

	"copslab/sched"
	"copslab/workbench/model"
)

// Checks on the history: the order of events, their number, the stages of
// user-interrupt chains, warnings, the end of the run.

// OrderCheck: the groups of coroutines named by Names (patterns) reached
// Event in this order. Event is run (put on a hart), ready, block, exit or
// spawn; By is first (default: the group's first such event) or last (its
// last, e.g. "the last priority-0 connection finished before the last
// priority-7 one").
type OrderCheck struct {
	Event string   `yaml:"event"`
	By    string   `yaml:"by"`
	Names []string `yaml:"names"`
}

var orderEvents = map[string]func(*sched.Event) bool{
	"run":   func(e *sched.Event) bool { return e.To == sched.Running && e.From != e.To },
	"ready": func(e *sched.Event) bool { return e.To == sched.Ready && e.From != e.To },
	"block": func(e *sched.Event) bool { return e.To == sched.Blocked && e.From != e.To },
	"exit":  func(e *sched.Event) bool { return e.To == sched.Exited && e.From != e.To },
	"spawn": func(e *sched.Event) bool { return e.Cause == sched.CauseSpawn },
}

func (k *OrderCheck) validate(line int) error {
	if orderEvents[k.Event] == nil {
		return errAt(line, "order: event must be run, ready, block, exit or spawn, got %q", k.Event)
	}
	if k.By != "" && k.By != "first" && k.By != "last" {
		return errAt(line, "order: by must be first or last")
	}
	if len(k.Names) < 2 {
		return errAt(line, "order needs two or more names")
	}
	return (&EventPat{Co: strings.Join(k.Names, "")}).validate(line)
}

func (k *OrderCheck) eval(e *env) (bool, string) {
	is := orderEvents[k.Event]
	at := make([]int, len(k.Names))
	for i := range at {
		at[i] = -1
	}
	for i := range e.m.Events() {
		ev := &e.m.Events()[i]
		if !is(ev) {
			continue
		}
		name := e.coName(ev.Co)
		for g, pat := range k.Names {
			if matchName(pat, name) && (at[g] < 0 || k.By == "last") {
				at[g] = i
			}
		}
	}
	var got []string
	ok := true
	for g, n := range k.Names {
		if at[g] < 0 {
			got = append(got, n+": never")
			ok = false
			continue
		}
		ev := &e.m.Events()[at[g]]
		got = append(got, fmt.Sprintf("%s at %s (event %d)", n, Dur(ev.Time), at[g]))
		if g > 0 && at[g-1] >= 0 && at[g-1] >= at[g] {
			ok = false
		}
	}
	return ok, strings.Join(got, "; ")
}

func (k *OrderCheck) String() string {
	return fmt.Sprintf("%s (%s %s) in the order %s", k.Event, byName(k.By), k.Event, strings.Join(k.Names, " < "))
}

// byName is the name of an OrderCheck or WhenCheck By.
func byName(by string) string {
	if by == "last" {
		return "last"
	}
	return "first"
}

// WhenCheck: the group of coroutines named by Co (a pattern) reached
// Event (as in OrderCheck; By first or last) before and/or after a time.
type WhenCheck struct {
	Event  string `yaml:"event"`
	By     string `yaml:"by"`
	Co     string `yaml:"co"`
	Before *Dur   `yaml:"before"`
	After  *Dur   `yaml:"after"`
}

func (k *WhenCheck) validate(line int) error {
	if k.Before == nil && k.After == nil {
		return errAt(line, "when needs before or after")
	}
	if k.Co == "" {
		return errAt(line, "when needs co")
	}
	return (&OrderCheck{Event: k.Event, By: k.By, Names: []string{k.Co, k.Co}}).validate(line)
}

func (k *WhenCheck) eval(e *env) (bool, string) {
	is := orderEvents[k.Event]
	at := -1
	for i := range e.m.Events() {
		if ev := &e.m.Events()[i]; is(ev) && matchName(k.Co, e.coName(ev.Co)) && (at < 0 || k.By == "last") {
			at = i
		}
	}
	if at < 0 {
		return false, k.Co + ": never"
	}
	t := e.m.Events()[at].Time
	ok := (k.Before == nil || t < uint64(*k.Before)) && (k.After == nil || t > uint64(*k.After))
	return ok, fmt.Sprintf("%s at %s", k.Co, Dur(t))
}

func (k *WhenCheck) String() string {
	s := fmt.Sprintf("%s %s of %s", byName(k.By), k.Event, k.Co)
	if k.After != nil {
		s += " after " + k.After.String()
	}
	if k.Before != nil {
		s += " before " + k.Before.String()
	}
	return s
}

// CountCheck: the number of events matching the pattern is in [Min, Max].
type CountCheck struct {
	Co    string `yaml:"co"`
	Proc  string `yaml:"proc"`
	Cause string `yaml:"cause"`
	To    string `yaml:"to"`
	Min   *int   `yaml:"min"`
	Max   *int   `yaml:"max"`
}

func (k *CountCheck) pat() *EventPat {
	return &EventPat{Co: k.Co, Proc: k.Proc, Cause: k.Cause, To: k.To}
}

func (k *CountCheck) validate(line int) error {
	if k.Min == nil && k.Max == nil {
		return errAt(line, "count needs min or max")
	}
	return k.pat().validate(line)
}

func (k *CountCheck) n(e *env) int { return countEvents(e, k.pat()) }

func countEvents(e *env, p *EventPat) int {
	n := 0
	for i := range e.m.Events() {
		if e.match(p, &e.m.Events()[i]) {
			n++
		}
	}
	return n
}

func (k *CountCheck) eval(e *env) (bool, string) {
	n := k.n(e)
	ok := (k.Min == nil || n >= *k.Min) && (k.Max == nil || n <= *k.Max)
	return ok, fmt.Sprintf("%d events (%s)", n, k.pat().String())
}

func (k *CountCheck) String() string {
	r := ""
	switch {
	case k.Min != nil && k.Max != nil:
		r = fmt.Sprintf("%d..%d", *k.Min, *k.Max)
	case k.Min != nil:
		r = fmt.Sprintf("at least %d", *k.Min)
	default:
		r = fmt.Sprintf("at most %d", *k.Max)
	}
	return fmt.Sprintf("%s events (%s)", r, k.pat().String())
}

// CompareCheck: more than Factor (default 1) times as many events match
// More as match Than.
type CompareCheck struct {
	More   EventPat `yaml:"more"`
	Than   EventPat `yaml:"than"`
	Factor float64  `yaml:"factor"`
}

func (k *CompareCheck) validate(line int) error {
	if k.Factor < 0 {
		return errAt(line, "compare: factor must not be negative")
	}
	if err := k.More.validate(line); err != nil {
		return err
	}
	return k.Than.validate(line)
}

func (k *CompareCheck) factor() float64 {
	if k.Factor == 0 {
		return 1
	}
	return k.Factor
}

func (k *CompareCheck) eval(e *env) (bool, string) {
	a, b := countEvents(e, &k.More), countEvents(e, &k.Than)
	return float64(a) > k.factor()*float64(b), fmt.Sprintf("%d (%s) vs %d (%s)", a, k.More.String(), b, k.Than.String())
}

func (k *CompareCheck) String() string {
	return fmt.Sprintf("more than %g× as many events (%s) as (%s)", k.factor(), k.More.String(), k.Than.String())
}

// ChainCheck: a statistic of one stage over the user-interrupt chains (of
// processes matching Proc) in which that stage has ended (total: complete
// chains) is below and/or above a bound.
// Stage is device, kernel, delivery, schedule or total; Stat is mean
// (default), max, min or last.
type ChainCheck struct {
	Stage string `yaml:"stage"`
	Stat  string `yaml:"stat"`
	Proc  string `yaml:"proc"`
	Below *Dur   `yaml:"below"`
	Above *Dur   `yaml:"above"`
}

func (k *ChainCheck) stage() int {
	for i, n := range model.StageNames {
		if n == k.Stage {
			return i
		}
	}
	if k.Stage == "total" {
		return len(model.StageNames)
	}
	return -1
}

func (k *ChainCheck) validate(line int) error {
	if k.stage() < 0 {
		return errAt(line, "chain: stage must be one of %s, total", strings.Join(model.StageNames[:], ", "))
	}
	switch k.Stat {
	case "", "mean", "max", "min", "last":
	default:
		return errAt(line, "chain: stat must be mean, max, min or last")
	}
	if k.Below == nil && k.Above == nil {
		return errAt(line, "chain needs below or above")
	}
	return (&EventPat{Proc: k.Proc + "x"}).validate(line)
}

func (k *ChainCheck) eval(e *env) (bool, string) {
	st := k.stage()
	var vals []uint64
	for _, c := range e.m.Chains() {
		if k.Proc != "" && !matchName(k.Proc, e.procs[c.Proc]) {
			continue
		}
		if st == len(model.StageNames) {
			if c.Complete() {
				vals = append(vals, c.Total())
			}
			continue
		}
		if lat, ok := c.Stages(); ok[st] {
			vals = append(vals, lat[st])
		}
	}
	if len(vals) == 0 {
		return false, "no user-interrupt chain has reached the " + k.Stage + " stage's end yet"
	}
	var v uint64
	switch k.Stat {
	case "max":
		for _, x := range vals {
			v = max(v, x)
		}
	case "min":
		v = vals[0]
		for _, x := range vals {
			v = min(v, x)
		}
	case "last":
		v = vals[len(vals)-1]
	default:
		for _, x := range vals {
			v += x
		}
		v /= uint64(len(vals))
	}
	ok := (k.Below == nil || v < uint64(*k.Below)) && (k.Above == nil || v > uint64(*k.Above))
	return ok, fmt.Sprintf("%s %s stage = %s over %d chains", k.statName(), k.Stage, Dur(v), len(vals))
}

func (k *ChainCheck) statName() string {
	if k.Stat == "" {
		return "mean"
	}
	return k.Stat
}

func (k *ChainCheck) String() string {
	s := fmt.Sprintf("%s %s stage of the user-interrupt chains", k.statName(), k.Stage)
	if k.Proc != "" {
		s += " of " + k.Proc
	}
	if k.Below != nil {
		s += " < " + k.Below.String()
	}
	if k.Above != nil {
		s += " > " + k.Above.String()
	}
	return s
}

// FinishCheck: every coroutine seen has exited (Is), or not.
type FinishCheck struct {
	Is bool `yaml:"is"`
}

func (k *FinishCheck) validate(int) error { return nil }

func (k *FinishCheck) eval(e *env) (bool, string) {
	live := 0
	for _, l := range e.m.Lanes() {
		if n := len(l.Marks); n == 0 || l.Marks[n-1].S != sched.Exited {
			live++
		}
	}
	return (live == 0 && len(e.m.Lanes()) > 0) == k.Is, fmt.Sprintf("%d coroutines not exited", live)
}

func (k *FinishCheck) String() string {
	if k.Is {
		return "every coroutine has exited"
	}
	return "some coroutine has not exited"
}
