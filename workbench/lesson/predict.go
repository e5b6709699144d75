package lesson

import (
	"slices"
	"strings"

	"copslab/workbench/model"
)

// Reveal is the outcome of a prediction: what the student said, what
// the target did, and whether the lesson's expected answer held.
type Reveal struct {
	Ask      string   `json:"ask"`
	Observed []string `json:"observed"`           // what happened
	Expected []string `json:"expected,omitempty"` // the lesson's answer
	Guess    []string `json:"guess,omitempty"`    // the student's prediction (window)
	Correct  bool     `json:"correct"`            // Guess == Observed (window)
	Holds    bool     `json:"holds"`              // Expected is empty or == Observed
	Explain  string   `json:"explain,omitempty"`
}

// Options returns the choices to offer before the action runs: the
// lesson's choices, else every coroutine name of the live state (for
// next_run and state) or of the queue (queue_order).
func (p *Predict) Options(m *model.Model) []string {
	if len(p.Choices) > 0 {
		return p.Choices
	}
	e := newEnv(m)
	var out []string
	switch p.What {
	case PredictNextEvent:
		return []string{"fetch", "yield", "block", "wake", "uintr", "timer", "preempt", "resume", "exit"}
	case PredictState:
		return stateNames()
	case PredictQueueOrder:
		if pr := e.findProc(p.Proc); pr != nil {
			for _, id := range pr.Queues[*p.Prio] {
				out = append(out, e.coName(id))
			}
		}
		return out
	}
	for _, c := range e.s.Cos {
		if n := e.coName(c.ID); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Observe answers the prediction from the model after the action: from
// event index from on (next_run, next_event) or from the live state.
func (p *Predict) Observe(m *model.Model, from int) []string {
	e := newEnv(m)
	evs := m.Events()
	switch p.What {
	case PredictNextRun:
		for i := max(from, 0); i < len(evs); i++ {
			if isRun(&evs[i]) {
				return []string{e.coName(evs[i].Co)}
			}
		}
		return []string{"none"}
	case PredictNextEvent:
		for i := max(from, 0); i < len(evs); i++ {
			if evs[i].From != evs[i].To {
				return []string{evs[i].Cause.String()}
			}
		}
		return []string{"none"}
	case PredictState:
		if c := e.findCo(p.Co); c != nil {
			return []string{c.State.String()}
		}
		return []string{"none"}
	case PredictQueueOrder:
		var out []string
		if pr := e.findProc(p.Proc); pr != nil {
			for _, id := range pr.Queues[*p.Prio] {
				out = append(out, e.coName(id))
			}
		}
		return out
	}
	return p.Answer // choice: the answer is the design's
}

// Reveal compares the student's guess (may be nil) and the lesson's
// answer with what was observed.
func (p *Predict) Reveal(observed, guess []string) *Reveal {
	r := &Reveal{Ask: p.Ask, Observed: observed, Expected: p.Answer, Guess: guess, Explain: p.Explain}
	r.Holds = len(p.Answer) == 0 || sameAnswer(p.Answer, observed)
	r.Correct = guess != nil && sameAnswer(guess, observed)
	return r
}

func sameAnswer(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return strings.EqualFold(x, y) })
}
