package lesson

import (
	"strings"
	"testing"
	"testing/fstest"
)

const goodLesson = "---\ntitle: T\nscenario: tiny\n---\nIntro.\n\n## One\nText.\n```yaml\ndo: {step: 1}\ncheck:\n  - state: {co: reader, is: Blocked}\n```\n"

// TestParseGood checks what a well-formed lesson turns into.
func TestParseGood(t *testing.T) {
	l, err := Parse([]byte(goodLesson), "x.md", "x")
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "T" || l.Scenario != "tiny" || l.Intro != "Intro." || len(l.Steps) != 1 {
		t.Fatalf("lesson %+v", l)
	}
	s := l.Steps[0]
	if s.Title != "One" || s.Text != "Text." || s.Line != 7 || s.Do.Step != 1 || len(s.Checks) != 1 {
		t.Fatalf("step %+v", s)
	}
	if c := s.Checks[0]; c.Line != 12 || c.State == nil || c.String() != "reader is Blocked" {
		t.Fatalf("check %+v (line %d)", c, c.Line)
	}
}

// TestParseErrors: every malformed lesson gives an error naming the file
// and the line of the mistake.
func TestParseErrors(t *testing.T) {
	step := func(block string) string {
		return "---\ntitle: T\nscenario: tiny\n---\n## S\n```yaml\n" + block + "\n```\n"
	}
	cases := []struct{ name, src, want string }{
		{"no front matter", "# hello\n", "f.md:1: a lesson starts with a front matter"},
		{"open front matter", "---\ntitle: T\n", "f.md:1: the front matter's closing --- is missing"},
		{"no title", "---\nscenario: tiny\n---\n## S\n", "f.md:2: the front matter needs a title"},
		{"unknown front key", "---\ntitle: T\nshell: rm -rf /\n---\n## S\n", `f.md:3: unknown key "shell"`},
		{"no steps", "---\ntitle: T\nscenario: tiny\n---\ntext\n", "f.md:4: a lesson needs at least one step"},
		{"no scenario", "---\ntitle: T\n---\n## S\n", "f.md:2: no scenario"},
		{"scenario outside", "---\ntitle: T\nscenario: ../../etc/x.yaml\n---\n## S\n", "f.md:2: scenario:"},
		{"absolute scenario", "---\ntitle: T\nscenario: /etc/x.yaml\n---\n## S\n", "inside the lessons folder"},
		{"unknown step key", step("do: {step: 1}\nrun: ls"), `f.md:8: unknown key "run"`},
		{"unknown action", step("do:\n  exec: ls"), `f.md:8: unknown key "exec"`},
		{"bad number", step("do: {step: many}"), `f.md:7: expected a whole number, got "many"`},
		{"two check kinds", step("check:\n  - {state: {co: a, is: Ready}, running: {hart: 0, co: a}}"), "f.md:8: a check is exactly one of"},
		{"no check kind", step("check:\n  - {}"), "f.md:8: a check is exactly one of"},
		{"bad state", step("check:\n  - state: {co: a, is: Sleeping}"), `f.md:8: state: is must be one of`},
		{"bad duration", step("do: {run_for: soon}"), `f.md:7: expected a duration such as 50us or 2ms, got "soon"`},
		{"yaml syntax", step("check:\n  - state: {co: a, is: Ready\n"), "f.md:"},
		{"unquoted colon", step("hints:\n  - note: this"), `f.md:8: expected text, got a mapping`},
		{"bad cause", step("do:\n  run_until: {cause: teleport}"), `f.md:8: unknown cause "teleport"`},
		{"two runs", step("do: {run_for: 1ms, run_to_end: true}"), "f.md:7: give at most one of"},
		{"choice answer", step("predict: {ask: q, what: choice, choices: [a, b], answer: c}"), "f.md:7: predict choice needs"},
		{"predict kind", step("predict: {ask: q, what: guess}"), "f.md:7: predict what must be one of"},
		{"queue two", step("check:\n  - queue: {proc: app, prio: 2, head: a, tail: b}"), "f.md:8: queue needs exactly one of"},
		{"warning kind", step("check:\n  - warning: {kind: meltdown}"), "f.md:8: warning: kind must be one of"},
		{"alias", step("hints: &h [a]\ncheck: *h"), "f.md:8: YAML aliases are not allowed"},
		{"open fence", "---\ntitle: T\nscenario: tiny\n---\n## S\n```yaml\ndo: {step: 1}\n", "f.md:6: code block not closed"},
		{"fence into next step", "---\ntitle: T\nscenario: tiny\n---\n## S\n```yaml\ndo: {step: 1}\n## T\n", "f.md:6: the yaml block of step \"S\" is not closed"},
		{"second block", step("do: {step: 1}") + "```yaml\ndo: {step: 2}\n```\n", "f.md:9: step \"S\" has a second yaml block"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.src), "f.md", "f")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestLoadReportsEveryBadFile: Load keeps the good lessons and names each
// bad file.
func TestLoadReportsEveryBadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"good.md":   {Data: []byte(goodLesson)},
		"bad1.md":   {Data: []byte("nothing")},
		"bad2.md":   {Data: []byte("---\ntitle: x\n---\n")},
		"README.md": {Data: []byte("not a lesson")},
		"notes.txt": {Data: []byte("ignored")},
	}
	ls, err := Load(fsys, "lessons")
	if len(ls) != 1 || ls[0].Name != "good" {
		t.Fatalf("lessons %v", Names(ls))
	}
	for _, want := range []string{"lessons/bad1.md:1:", "lessons/bad2.md:3:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not name %s", err, want)
		}
	}
}

// TestScenarioStaysInside: a scenario reference cannot leave the lessons
// folder, even when it gets past the parser.
func TestScenarioStaysInside(t *testing.T) {
	env := &Env{FS: fstest.MapFS{"scenarios/ok.yaml": {Data: []byte("x")}}}
	for _, ref := range []string{"../x.yaml", "/etc/passwd.yaml", "scenarios/../../x.yaml", `..\x.yaml`} {
		if _, err := env.Scenario(ref); err == nil || !strings.Contains(err.Error(), "inside the lessons folder") {
			t.Errorf("%s: %v", ref, err)
		}
	}
}

// FuzzParse: any input gives a lesson or an error naming the file, never
// a panic; a parsed lesson has steps and every check one kind.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goodLesson))
	f.Add([]byte("---\ntitle: T\nscenario: tiny\n---\n## S\n```yaml\npredict: {ask: q, what: queue_order, proc: app, prio: 2}\ndo: {run_until: {co: a, cause: yield}, within: 5us}\n```\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data, "f.md", "f")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.md") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if len(l.Steps) == 0 {
			t.Fatal("a lesson without steps")
		}
		for _, s := range l.Steps {
			for _, c := range s.Checks {
				if c.kind() == nil || c.String() == "" {
					t.Fatalf("check without a kind at line %d", c.Line)
				}
			}
		}
	})
}
