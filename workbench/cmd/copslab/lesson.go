package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"copslab/lessons"
	"copslab/workbench/config"
	"copslab/workbench/lesson"
)

// copslab lesson list|check: the lessons without a window, for students
// and for grading.
func init() {
	register(&command{
		name:    "lesson",
		summary: "guided lessons headless: lesson list | lesson check NAME|all [--target sandbox|qemu] [--json]",
		run:     func(args []string) error { return runLesson(args, os.Stdout) },
	})
}

// errLessonsFailed makes the exit status 1 after the report was printed.
var errLessonsFailed = errors.New("lessons failed")

func runLesson(args []string, w io.Writer) error {
	fs := newFlags("lesson", "copslab lesson list | copslab lesson check NAME|all [flags]")
	fs.notes = `Lessons come from the lessons folder (--lessons; ./lessons when it exists,
else the lessons built into copslab). check runs each lesson's steps headless
and prints a report (--json: machine-readable); the exit status is 0 when
every lesson passed, 1 when one failed. --target qemu runs the lessons that
name a kernel command line on the kernel in QEMU (--kernel, --board); the
others are reported as not running there.`
	config.AddFlags(fs.FlagSet)
	asJSON := fs.Bool("json", false, "print a machine-readable result")
	dirFlag := fs.String("lessons", "", "lessons folder (default: lessons.dir of the configuration, \"lessons\")")
	if err := fs.parse(args, -1); err != nil {
		return err
	}
	rest := fs.Args()
	switch {
	case len(rest) == 1 && rest[0] == "list":
	case len(rest) == 2 && rest[0] == "check":
	default:
		return fs.bad("want list, or check and a lesson name or all")
	}
	cfg, err := config.Load(fs.FlagSet)
	if err != nil {
		return err
	}
	dir := cfg.String("lessons.dir")
	if *dirFlag != "" {
		dir = *dirFlag
	}
	dir, fsys := lessonsFS(dir, *dirFlag != "" || cfg.Source("lessons.dir") != config.FromDefault)
	if fsys == nil {
		return fmt.Errorf("lessons folder %s not found", dir)
	}
	ls, err := lesson.Load(fsys, dir)
	if err != nil {
		return err
	}
	if rest[0] == "list" {
		return listLessons(w, ls, *asJSON)
	}
	env := &lesson.Env{FS: fsys, Target: cfg.String("target.kind"), Kernel: cfg.String("kernel.elf"),
		Board: cfg.String("board.profile"), QEMU: cfg.String("qemu.path")}
	if err := env.Available(); err != nil {
		return err
	}
	return checkLessons(w, env, ls, rest[1], *asJSON)
}

// lessonsFS returns the lessons folder: dir when it exists, else (unless
// it was asked for explicitly) the lessons built into copslab.
func lessonsFS(dir string, explicit bool) (string, fs.FS) {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir, os.DirFS(dir)
	}
	if explicit {
		return dir, nil
	}
	return "(built in)", lessons.FS
}

func listLessons(w io.Writer, ls []*lesson.Lesson, asJSON bool) error {
	type item struct {
		Name    string `json:"name"`
		Title   string `json:"title"`
		Concept string `json:"concept"`
		Steps   int    `json:"steps"`
	}
	var items []item
	for _, l := range ls {
		items = append(items, item{l.Name, l.Title, l.Concept, len(l.Steps)})
	}
	if asJSON {
		return json.NewEncoder(w).Encode(items)
	}
	for _, it := range items {
		fmt.Fprintf(w, "%-22s %2d steps  %s\n", it.Name, it.Steps, it.Title)
	}
	return nil
}

func checkLessons(w io.Writer, env *lesson.Env, ls []*lesson.Lesson, name string, asJSON bool) error {
	if name != "all" {
		l, err := lesson.Find(ls, name)
		if err != nil {
			return err
		}
		ls = []*lesson.Lesson{l}
	}
	var reports []*lesson.Report
	failed, skipped := 0, 0
	for _, l := range ls {
		r := env.Run(l)
		reports = append(reports, r)
		if !r.Passed {
			failed++
		}
		if r.Skipped != "" {
			skipped++
		}
		if !asJSON {
			printReport(w, r)
		}
	}
	if asJSON {
		out := struct {
			Target  string           `json:"target"`
			Passed  int              `json:"passed"`
			Failed  int              `json:"failed"`
			Skipped int              `json:"skipped"`
			Lessons []*lesson.Report `json:"lessons"`
		}{env.Target, len(ls) - failed - skipped, failed, skipped, reports}
		if out.Target == "" {
			out.Target = "sandbox"
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "%d of %d lessons passed", len(ls)-failed-skipped, len(ls)-skipped)
		if skipped > 0 {
			fmt.Fprintf(w, " (%d do not run on this target)", skipped)
		}
		fmt.Fprintln(w)
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d", errLessonsFailed, failed, len(ls))
	}
	return nil
}

func printReport(w io.Writer, r *lesson.Report) {
	mark := map[bool]string{true: "PASS", false: "FAIL"}
	if r.Skipped != "" {
		fmt.Fprintf(w, "SKIP %s — %s: %s\n", r.Lesson, r.Title, r.Skipped)
		return
	}
	fmt.Fprintf(w, "%s %s — %s\n", mark[r.Passed], r.Lesson, r.Title)
	if r.Error != "" {
		fmt.Fprintf(w, "     error: %s\n", r.Error)
	}
	for _, s := range r.Steps {
		fmt.Fprintf(w, "  %s step %d: %s\n", mark[s.Passed], s.Step, s.Title)
		if s.Error != "" {
			fmt.Fprintf(w, "       error: %s\n", s.Error)
		}
		for _, c := range s.Checks {
			if !c.OK {
				fmt.Fprintf(w, "       ✗ %s (line %d): got %s\n", c.Check, c.Line, c.Got)
			}
		}
		if p := s.Predict; p != nil && !p.Holds {
			fmt.Fprintf(w, "       ✗ prediction %q: expected %v, observed %v\n", p.Ask, p.Expected, p.Observed)
		}
	}
}
