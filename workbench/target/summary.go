package target

import (
	"strings"

	"copslab/sched/sandbox"
)

// Summarizer is a target that can describe a finished run in text: for
// the sandbox, the tables `copslab sandbox run` prints (requests and
// mean latency per process, per priority). The window shows it when the
// run ends.
type Summarizer interface {
	Summary() string
}

var _ Summarizer = (*sandboxTarget)(nil)

// Summary returns the scenario's summary tables.
func (t *sandboxTarget) Summary() string {
	var b strings.Builder
	if err := sandbox.WriteSummary(&b, t.sim.Summary()); err != nil {
		return "summary: " + err.Error()
	}
	return b.String()
}

// ScenarioDescription returns a built-in scenario's description line, or
// "" if it has none.
func ScenarioDescription(name string) string {
	sc, err := sandbox.Builtin(name)
	if err != nil {
		return ""
	}
	return sc.Description
}
