package lesson

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"copslab/boards"

	"copslab/sched/sandbox"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// Env is where lessons run: the lessons folder (for scenario files) and
// the target kind; for the kernel target also the kernel ELF and the
// board profile (QEMU's command line).
type Env struct {
	FS     fs.FS  // the lessons folder
	Target string // "sandbox" (default) or "qemu"
	Kernel string // qemu: kernel ELF
	Board  string // qemu: board profile
	QEMU   string // qemu: QEMU binary (empty: the board's)
}

// onKernel reports whether env runs lessons on the kernel in QEMU.
func (env *Env) onKernel() bool { return env.Target == "qemu" }

// Workload returns what lesson l loads on env's target (a scenario, or a
// kernel command line), or "" when l does not run there.
func (env *Env) Workload(l *Lesson) string {
	if env.onKernel() {
		return l.Kernel
	}
	if l.Scenario == "" && l.Kernel != "" {
		return ""
	}
	return l.Scenario
}

// Scenario resolves a scenario reference: a .yaml file inside the lessons
// folder, or a built-in name.
func (env *Env) Scenario(ref string) (*sandbox.Scenario, error) {
	if strings.HasSuffix(ref, ".yaml") {
		if err := checkScenarioRef(ref); err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(env.FS, ref)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", ref, err)
		}
		return sandbox.ParseScenario(data, strings.TrimSuffix(path.Base(ref), ".yaml"))
	}
	return sandbox.Builtin(ref)
}

// Open starts the lesson target on a workload: a scenario on the
// sandbox, a kernel command line on the kernel.
func (env *Env) Open(ref string) (target.Target, error) {
	switch env.Target {
	case "", "sandbox":
		sc, err := env.Scenario(ref)
		if err != nil {
			return nil, err
		}
		return target.NewSandbox(sc, ref)
	case "qemu":
		return target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
			Kernel: env.Kernel, Board: env.Board, QEMU: env.QEMU, Append: ref}})
	}
	return nil, fmt.Errorf("unknown target %q (have %v)", env.Target, target.Kinds)
}

// Report is the result of checking one lesson headless.
type Report struct {
	Lesson  string        `json:"lesson"`
	Title   string        `json:"title"`
	Target  string        `json:"target"`
	Passed  bool          `json:"passed"`
	Skipped string        `json:"skipped,omitempty"` // why the lesson does not run on this target
	Error   string        `json:"error,omitempty"`
	Steps   []*StepReport `json:"steps"`
}

// StepReport is one step's outcome.
type StepReport struct {
	Step    int      `json:"step"` // 1-based
	Title   string   `json:"title"`
	Line    int      `json:"line"`
	Passed  bool     `json:"passed"`
	Error   string   `json:"error,omitempty"`
	Checks  []Result `json:"checks,omitempty"`
	Predict *Reveal  `json:"predict,omitempty"`
}

// Session is one lesson being run headless on a target.
type Session struct {
	Env *Env
	L   *Lesson
	D   *session.Driver
	M   *model.Model
}

// Load (re)starts the session on scenario ref and takes the first
// decision, as the window does, so the system is populated.
func (s *Session) Load(ref string) error {
	t, err := s.Env.Open(ref)
	if err != nil {
		return err
	}
	if s.D != nil {
		s.D.T.Close()
	}
	s.D = session.New(t)
	s.M.Reset()
	b, err := s.D.Start()
	if err != nil {
		return err
	}
	b.ApplyTo(s.M)
	b, err = (&Action{Step: 1}).Advance(s.D)
	b.ApplyTo(s.M)
	return err
}

// Close ends the target.
func (s *Session) Close() {
	if s.D != nil {
		s.D.T.Close()
	}
}

// Do runs step i's action and returns the index of the first event it
// produced (for predictions).
func (s *Session) Do(st *Step) (int, error) {
	from := s.M.Len()
	a := st.Do
	if a == nil {
		return from, nil
	}
	if a.Load != "" {
		if err := s.Load(a.Load); err != nil {
			return 0, err
		}
		from = 0
	}
	if s.D == nil {
		return from, fmt.Errorf("no scenario loaded")
	}
	b, err := a.Advance(s.D)
	b.ApplyTo(s.M)
	return from, err
}

// Check evaluates step st's checks on the model.
func (s *Session) Check(st *Step) []Result {
	e := newEnv(s.M)
	out := make([]Result, len(st.Checks))
	for i, c := range st.Checks {
		out[i] = c.eval(e)
	}
	return out
}

// Run checks lesson l from its first step to its last on env's target.
func (env *Env) Run(l *Lesson) *Report {
	r := &Report{Lesson: l.Name, Title: l.Title, Target: env.targetName()}
	w := env.Workload(l)
	if w == "" && env.onKernel() {
		r.Passed, r.Skipped = true, "a sandbox lesson (no kernel command line)"
		return r
	}
	if w == "" && l.Kernel != "" {
		r.Passed, r.Skipped = true, "a kernel lesson (no sandbox scenario)"
		return r
	}
	s := &Session{Env: env, L: l, M: model.New()}
	defer s.Close()
	if w != "" {
		if err := s.Load(w); err != nil {
			r.Error = err.Error()
			return r
		}
	}
	r.Passed = true
	for i, st := range l.Steps {
		sr := &StepReport{Step: i + 1, Title: st.Title, Line: st.Line, Passed: true}
		r.Steps = append(r.Steps, sr)
		from, err := s.Do(st)
		if err != nil {
			sr.Passed, sr.Error = false, err.Error()
		}
		sr.Checks = s.Check(st)
		for _, c := range sr.Checks {
			sr.Passed = sr.Passed && c.OK
		}
		if st.Predict != nil {
			sr.Predict = st.Predict.Reveal(st.Predict.Observe(s.M, from), nil)
			sr.Passed = sr.Passed && sr.Predict.Holds
		}
		r.Passed = r.Passed && sr.Passed
	}
	return r
}

func (env *Env) targetName() string {
	if env.Target == "" {
		return "sandbox"
	}
	return env.Target
}

// Available reports whether lessons can run on env's target: the
// sandbox, always; the kernel when its ELF and board profile are there
// (booting is left to each lesson).
func (env *Env) Available() error {
	switch env.Target {
	case "", "sandbox":
		return nil
	case "qemu":
		if _, err := os.Stat(env.Kernel); err != nil {
			return fmt.Errorf("lessons on the kernel: no kernel ELF (%v); build it with make kernel", err)
		}
		if _, err := boards.Load(env.Board); err != nil {
			return fmt.Errorf("lessons on the kernel: %w", err)
		}
		return nil
	}
	return fmt.Errorf("unknown target %q (have %v)", env.Target, target.Kinds)
}
