package lesson

import (
	"fmt"
	"strings"

	"copslab/workbench/model"
)

// WarningCheck: the model has (Present, the default) or has not raised a
// warning of Kind (starvation, priority-inversion, lost-wakeup,
// interrupt-storm), optionally about a coroutine or process matching Co
// or Proc.
type WarningCheck struct {
	Kind    string `yaml:"kind"`
	Co      string `yaml:"co"`
	Proc    string `yaml:"proc"`
	Present *bool  `yaml:"present"`
}

func (k *WarningCheck) validate(line int) error {
	if _, ok := model.WarnKindByName(k.Kind); !ok && k.Kind != "any" {
		return errAt(line, "warning: kind must be one of %s or any, got %q", strings.Join(warnKinds(), ", "), k.Kind)
	}
	return (&EventPat{Co: k.Co + "x", Proc: k.Proc}).validate(line)
}

func warnKinds() []string {
	var out []string
	for k := model.WarnKind(0); k < model.NumWarnKinds; k++ {
		out = append(out, k.String())
	}
	return out
}

func (k *WarningCheck) present() bool { return k.Present == nil || *k.Present }

// matching returns the warnings the check is about.
func (k *WarningCheck) matching(e *env) []model.Warning {
	var out []model.Warning
	for _, w := range e.m.Warnings() {
		if k.Kind != "any" && w.Kind.String() != k.Kind {
			continue
		}
		if k.Co != "" && !matchName(k.Co, e.coName(w.Co)) {
			continue
		}
		if k.Proc != "" && !matchName(k.Proc, e.procs[w.Proc]) {
			continue
		}
		out = append(out, w)
	}
	return out
}

func (k *WarningCheck) eval(e *env) (bool, string) {
	ws := k.matching(e)
	got := fmt.Sprintf("%d matching warnings", len(ws))
	if len(ws) > 0 {
		got += ", first: " + e.m.Describe(ws[0])
	}
	return (len(ws) > 0) == k.present(), got
}

func (k *WarningCheck) String() string {
	s := k.Kind + " warning"
	if k.Co != "" {
		s += " about " + k.Co
	}
	if k.Proc != "" {
		s += " in " + k.Proc
	}
	if k.present() {
		return s + " raised"
	}
	return "no " + s
}
