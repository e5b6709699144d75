package lesson

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"copslab/sched"
)

// A lesson file:
//
//	---
//	title: Coroutine states
//	concept: the coroutine state machine
//	scenario: tiny          # built-in name, or a .yaml file in the lessons folder
//	order: 1
//	---
//	Introduction (Markdown).
//
//	## First step's title
//	Markdown for the student.
//	```yaml
//	do: {step: 1}
//	check:
//	  - state: {co: reader, is: Running}
//	hints: [The reader has priority 0.]
//	```
//
// Every "## " heading outside a code fence starts a step; the first
// ```yaml fence of a step is its block, other fences are Markdown.

// Parse parses one lesson. file names it in errors; name is the lesson's
// name (the file name without .md).
func Parse(data []byte, file, name string) (*Lesson, error) {
	l, err := parse(data, name)
	if err != nil {
		var le *lineErr
		if errors.As(err, &le) {
			return nil, fmt.Errorf("%s:%d: %s", file, le.line, le.msg)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	l.File = file
	return l, nil
}

type frontMatter struct {
	Title    string `yaml:"title"`
	Concept  string `yaml:"concept"`
	Order    int    `yaml:"order"`
	Scenario string `yaml:"scenario"`
	Kernel   string `yaml:"kernel"`
}

type stepBlock struct {
	Do      *Action  `yaml:"do"`
	Check   []*Check `yaml:"check"`
	Hints   []string `yaml:"hints"`
	Predict *Predict `yaml:"predict"`
}

func parse(data []byte, name string) (*Lesson, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, errAt(1, "a lesson starts with a front matter block between two --- lines (title, scenario, …)")
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, errAt(1, "the front matter's closing --- is missing")
	}
	var fm frontMatter
	if err := decodeYAML(strings.Join(lines[1:end], "\n"), 1, 1, &fm); err != nil {
		return nil, err
	}
	if fm.Title == "" {
		return nil, errAt(2, "the front matter needs a title")
	}
	if err := checkScenarioRef(fm.Scenario); err != nil {
		return nil, errAt(2, "scenario: %v", err)
	}
	l := &Lesson{Name: name, Title: fm.Title, Concept: fm.Concept, Order: fm.Order, Scenario: fm.Scenario, Kernel: fm.Kernel}
	var intro []string
	var cur *Step
	var text []string
	var block []string
	blockLine, fence := 0, 0 // fence: line of the open fence (1-based), 0 when outside
	inYAML := false
	flush := func() {
		if cur != nil {
			cur.Text = strings.TrimSpace(strings.Join(text, "\n"))
		} else {
			l.Intro = strings.TrimSpace(strings.Join(intro, "\n"))
		}
		text = nil
	}
	for i := end + 1; i < len(lines); i++ {
		ln, no := lines[i], i+1
		trim := strings.TrimSpace(ln)
		if fence > 0 {
			if strings.HasPrefix(trim, "```") && strings.Trim(trim, "`") == "" {
				fence = 0
				if inYAML {
					inYAML = false
					if err := cur.fromBlock(strings.Join(block, "\n"), blockLine); err != nil {
						return nil, err
					}
					continue
				}
			} else if inYAML {
				if strings.HasPrefix(ln, "## ") {
					return nil, errAt(fence, "the yaml block of step %q is not closed (```) before the next step", cur.Title)
				}
				block = append(block, ln)
				continue
			}
			text = append(text, ln)
			continue
		}
		switch {
		case strings.HasPrefix(trim, "```"):
			fence = no
			if strings.TrimSpace(strings.TrimLeft(trim, "`")) == "yaml" && cur != nil {
				if cur.Do != nil || cur.Checks != nil || cur.Predict != nil || cur.Hints != nil || blockLine > 0 {
					return nil, errAt(no, "step %q has a second yaml block (one per step)", cur.Title)
				}
				inYAML, block, blockLine = true, nil, no
				continue
			}
			text = append(text, ln)
		case strings.HasPrefix(ln, "## "):
			flush()
			cur = &Step{Title: strings.TrimSpace(ln[3:]), Line: no}
			blockLine = 0
			l.Steps = append(l.Steps, cur)
		case cur == nil:
			intro = append(intro, ln)
		default:
			text = append(text, ln)
		}
	}
	if fence > 0 {
		return nil, errAt(fence, "code block not closed (```)")
	}
	flush()
	if len(l.Steps) == 0 {
		return nil, errAt(end+1, "a lesson needs at least one step (a \"## \" heading)")
	}
	if l.Scenario == "" && l.Kernel == "" && (l.Steps[0].Do == nil || l.Steps[0].Do.Load == "") {
		return nil, errAt(2, "no scenario: give one (or a kernel command line) in the front matter, or load one in the first step")
	}
	return l, nil
}

// decodeYAML parses text whose first line is line first of the file into
// dst. off is added to yaml's line numbers (yaml line 1 is file line off+1).
func decodeYAML(text string, first, off int, dst any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return yamlSyntax(err, off)
	}
	if len(doc.Content) == 0 {
		return errAt(first, "empty YAML block")
	}
	shiftLines(&doc, off)
	return decode(doc.Content[0], dst)
}

// yamlSyntax turns yaml.v3's "yaml: line N: msg" into a file line error.
func yamlSyntax(err error, off int) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var n int
	if _, e := fmt.Sscanf(msg, "line %d:", &n); e == nil {
		return errAt(n+off, "%s", strings.TrimSpace(msg[strings.Index(msg, ":")+1:]))
	}
	return errAt(off+1, "%s", msg)
}

// fromBlock decodes a step's yaml block that starts after file line fenceLine.
func (s *Step) fromBlock(text string, fenceLine int) error {
	var b stepBlock
	if err := decodeYAML(text, fenceLine+1, fenceLine, &b); err != nil {
		return err
	}
	s.Do, s.Checks, s.Hints, s.Predict = b.Do, b.Check, b.Hints, b.Predict
	if s.Do != nil {
		if err := s.Do.validate(); err != nil {
			return err
		}
	}
	for _, c := range s.Checks {
		if err := c.validate(); err != nil {
			return err
		}
	}
	if s.Predict != nil {
		if err := s.Predict.validate(); err != nil {
			return err
		}
	}
	return nil
}

// checkScenarioRef accepts a built-in scenario name or a relative .yaml
// path inside the lessons folder.
func checkScenarioRef(ref string) error {
	if ref == "" || !strings.HasSuffix(ref, ".yaml") {
		return nil // a built-in name (checked when loaded)
	}
	if !fs.ValidPath(ref) || strings.Contains(ref, "\\") {
		return fmt.Errorf("%q: a scenario file must be a relative path inside the lessons folder", ref)
	}
	return nil
}

func (a *Action) validate() error {
	if err := checkScenarioRef(a.Load); err != nil {
		return errAt(a.Line, "load: %v", err)
	}
	if a.Step < 0 {
		return errAt(a.Line, "step must be positive")
	}
	runs := 0
	for _, b := range []bool{a.RunFor != nil, a.RunTo != nil, a.RunUntil != nil, a.RunToEnd} {
		if b {
			runs++
		}
	}
	if runs > 1 {
		return errAt(a.Line, "give at most one of run_for, run_to, run_until, run_to_end")
	}
	if a.Within != nil && a.RunUntil == nil {
		return errAt(a.Line, "within bounds run_until; there is no run_until")
	}
	if a.RunUntil != nil {
		if err := a.RunUntil.validate(a.Line); err != nil {
			return err
		}
	}
	return nil
}

func (p *EventPat) validate(line int) error {
	if p.Co == "" && p.Proc == "" && p.Cause == "" && p.To == "" {
		return errAt(line, "an event pattern needs at least one of co, proc, cause, to")
	}
	for _, pat := range []string{p.Co, p.Proc} {
		if _, err := path.Match(pat, ""); err != nil {
			return errAt(line, "bad name pattern %q", pat)
		}
	}
	if p.Cause != "" {
		if _, ok := causeByName(p.Cause); !ok {
			return errAt(line, "unknown cause %q (%s)", p.Cause, strings.Join(causeNames(), ", "))
		}
	}
	if p.To != "" {
		if _, ok := stateByName(p.To); !ok {
			return errAt(line, "unknown state %q (%s)", p.To, strings.Join(stateNames(), ", "))
		}
	}
	return nil
}

func (p *Predict) validate() error {
	if p.Ask == "" {
		return errAt(p.Line, "predict needs the question (ask)")
	}
	switch p.What {
	case PredictNextRun, PredictNextEvent:
		if len(p.Answer) > 1 {
			return errAt(p.Line, "%s has one answer", p.What)
		}
	case PredictState:
		if p.Co == "" {
			return errAt(p.Line, "predict state needs co")
		}
		if len(p.Answer) == 1 {
			if _, ok := stateByName(p.Answer[0]); !ok {
				return errAt(p.Line, "answer %q is not a state (%s)", p.Answer[0], strings.Join(stateNames(), ", "))
			}
		}
	case PredictQueueOrder:
		if p.Proc == "" || p.Prio == nil || *p.Prio < 0 || *p.Prio >= sched.NumPrio {
			return errAt(p.Line, "predict queue_order needs proc and prio 0..%d", sched.NumPrio-1)
		}
	case PredictChoice:
		if len(p.Choices) < 2 || len(p.Answer) != 1 || !slices.Contains(p.Choices, p.Answer[0]) {
			return errAt(p.Line, "predict choice needs two or more choices and an answer that is one of them")
		}
	default:
		return errAt(p.Line, "predict what must be one of next_run, next_event, queue_order, state, choice; got %q", p.What)
	}
	if p.What == PredictNextEvent && len(p.Answer) == 1 {
		if _, ok := causeByName(p.Answer[0]); !ok {
			return errAt(p.Line, "answer %q is not a cause (%s)", p.Answer[0], strings.Join(causeNames(), ", "))
		}
	}
	return nil
}

// validate checks that exactly one kind of check is given, then the kind's own rules.
func (c *Check) validate() error {
	v := reflect.ValueOf(c).Elem()
	var set []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			set = append(set, v.Type().Field(i).Tag.Get("yaml"))
		}
	}
	if len(set) != 1 {
		return errAt(c.Line, "a check is exactly one of %s; got %d", strings.Join(checkKinds(), ", "), len(set))
	}
	return c.kind().validate(c.Line)
}

// checkKinds lists the yaml keys of Check.
func checkKinds() []string {
	t := reflect.TypeOf(Check{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

func causeByName(s string) (sched.Cause, bool) {
	for c := sched.Cause(0); c < sched.NumCauses; c++ {
		if c.String() == s {
			return c, true
		}
	}
	return 0, false
}

func causeNames() []string {
	var out []string
	for c := sched.Cause(0); c < sched.NumCauses; c++ {
		out = append(out, c.String())
	}
	return out
}

func stateByName(s string) (sched.State, bool) {
	for st := sched.State(0); st < sched.NumStates; st++ {
		if strings.EqualFold(st.String(), s) {
			return st, true
		}
	}
	return 0, false
}

func stateNames() []string {
	var out []string
	for st := sched.State(0); st < sched.NumStates; st++ {
		out = append(out, st.String())
	}
	return out
}
