// Package lesson loads and runs guided lessons: Markdown documents whose
// steps act on a target (load a scenario, take decisions, run for a while)
// and then check the workbench model (a coroutine's state, a queue's order,
// a user-interrupt stage's latency, a warning). It is plain Go, without
// GUI or cgo: the headless `copslab lesson` command and the window's
// lesson panel share it.
//
// # Design
//
// A lesson is data. Its file is Markdown: a YAML front matter (title,
// concept, scenario), an introduction, and one "## " section per step.
// A step's Markdown is shown to the student; its one ```yaml block says
// what the step does (do), what must then hold (check), what to say when
// it does not (hints) and what the student is asked to predict first
// (predict). Nothing in a lesson can run a command or read a file: the
// only thing it names outside itself is a scenario, which is a built-in
// name or a file inside the lessons folder, read through an fs.FS rooted
// there (fs.ValidPath rejects "..", absolute paths and the like).
//
// Checks read only the model (workbench/model): the same state the views
// show, built from the target's trace events and snapshots. So a lesson
// runs on any target that feeds the model — the host sandbox now, the
// kernel in QEMU later — and a check cannot peek at a target's internals.
//
// Actions run on a session.Driver on whichever goroutine owns the target
// (the CLI's, or the GUI controller's worker) and return a session.Batch
// that ends with a snapshot, so names and state are current when the
// checks run. Predictions are answered from the events the action
// produced (the next coroutine put on a hart, the next decision) or from
// the model afterwards (a queue's order, a state).
//
// Errors in a lesson file name the file and line.
package lesson

import (
	"fmt"
	"strings"
)

// Lesson is one parsed lesson file.
type Lesson struct {
	Name     string // file name without .md
	File     string // path for messages
	Title    string
	Concept  string
	Order    int    // position in the list (then by name)
	Scenario string // sandbox: built-in scenario name or file in the lessons folder ("": not on the sandbox)
	Kernel   string // qemu: the kernel command line to boot, e.g. "run threads" ("": not on the kernel)
	Intro    string // Markdown before the first step
	Steps    []*Step
}

// Step is one "## " section.
type Step struct {
	Title   string
	Text    string // Markdown shown to the student
	Line    int    // line of the heading
	Do      *Action
	Checks  []*Check
	Hints   []string
	Predict *Predict
}

// Action is what a step does before its checks, in this order: load a
// scenario (start over), take Step decisions, then at most one of: run
// for a duration, run to an absolute time, run until an event, run to
// the end.
type Action struct {
	Line     int
	Load     string    `yaml:"load"`
	Step     int       `yaml:"step"`
	RunFor   *Dur      `yaml:"run_for"`
	RunTo    *Dur      `yaml:"run_to"`
	RunUntil *EventPat `yaml:"run_until"`
	Within   *Dur      `yaml:"within"` // bound for run_until (default 10 ms of target time)
	RunToEnd bool      `yaml:"run_to_end"`
}

// EventPat matches trace events: every field given must match.
type EventPat struct {
	Co    string `yaml:"co"`    // coroutine name pattern (path.Match)
	Proc  string `yaml:"proc"`  // process name pattern
	Cause string `yaml:"cause"` // fetch, uintr, io-done, ...
	To    string `yaml:"to"`    // state after the event
}

func (p *EventPat) String() string {
	var parts []string
	for _, kv := range [][2]string{{"co", p.Co}, {"proc", p.Proc}, {"cause", p.Cause}, {"to", p.To}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

// Predict is a predict-then-reveal question, asked before the step's
// action runs. What says what is predicted:
//
//	next_run     the next coroutine put on a hart (fetch or resume)
//	next_event   the cause of the next state change (fetch, preempt, uintr, …)
//	queue_order  the order of Proc's ready queue Prio after the action
//	state        Co's state after the action
//	choice       a question about the design; Answer is required
//
// Answer, when given, is also checked against what the target did (so a
// wrong scheduler fails the step); for choice it is the correct choice.
type Predict struct {
	Line    int
	Ask     string   `yaml:"ask"`
	What    string   `yaml:"what"`
	Choices []string `yaml:"choices"`
	Proc    string   `yaml:"proc"`
	Prio    *int     `yaml:"prio"`
	Co      string   `yaml:"co"`
	Answer  []string `yaml:"answer"` // one item, or the order for queue_order
	Explain string   `yaml:"explain"`
}

// Predict kinds.
const (
	PredictNextRun    = "next_run"
	PredictNextEvent  = "next_event"
	PredictQueueOrder = "queue_order"
	PredictState      = "state"
	PredictChoice     = "choice"
)

// Names returns the lessons' names in list order.
func Names(ls []*Lesson) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

// Find returns the lesson called name, or an error listing the names.
func Find(ls []*Lesson, name string) (*Lesson, error) {
	for _, l := range ls {
		if l.Name == name {
			return l, nil
		}
	}
	return nil, fmt.Errorf("no lesson %q (have %s)", name, strings.Join(Names(ls), ", "))
}
