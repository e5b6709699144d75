package main

import (
	"fmt"
	"image/png"
	"io"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/sched"
	"copslab/workbench/gui"
	"copslab/workbench/model"
	"copslab/workbench/target"
	"copslab/workbench/whatif"
)

// copslab whatif: replay a sandbox scenario with one change from a point
// in time and report where the two runs first differ.
func init() {
	register(&command{
		name:    "whatif",
		summary: "replay a scenario with a changed priority or policy from a point: whatif --at 20us --change worker=0",
		run:     func(args []string) error { return runWhatIf(args, os.Stdout) },
	})
}

func runWhatIf(args []string, w io.Writer) error {
	fs := newFlags("whatif", "copslab whatif [--scenario FILE|NAME] --at TIME --change NAME=PRIO|fifo|no-boost [--for TIME]")
	fs.notes = `Runs the scenario twice in the sandbox: as is, and with the change applied at
--at (a coroutine's priority; fifo: every coroutine at one priority; no-boost:
no priority-0 boost for a pending user interrupt), each until --for, and prints
the first decision where they differ and what each run did by the end.`
	scen := fs.String("scenario", target.DefaultScenario, "built-in scenario name or YAML file")
	at := fs.Duration("at", 0, "when to change (target time)")
	change := fs.String("change", "", "NAME=PRIO, fifo or no-boost")
	dur := fs.Duration("for", time.Millisecond, "how long to run both (target time)")
	shot := fs.String("png", "", "also draw both timelines, the divergence marked, into this PNG (no display needed)")
	if err := fs.parse(args, 0); err != nil {
		return err
	}
	if *change == "" {
		return fs.bad("--change is required")
	}
	ch, err := whatif.Parse(*change, uint64(*at))
	if err != nil {
		return fs.bad(err.Error())
	}
	sc, err := target.LoadScenario(*scen)
	if err != nil {
		return err
	}
	r, err := whatif.Replay(sc, ch, uint64(*dur))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "what if: %s (scenario %s, both runs until %s)\n", ch, sc.Name, time.Duration(*dur))
	if !r.Diverged {
		fmt.Fprintln(w, "the runs never differ")
	} else {
		b, a := r.Describe()
		fmt.Fprintf(w, "first divergence at %s\n  as run:  %s\n  what if: %s\n", time.Duration(r.T), b, a)
	}
	for _, run := range []struct {
		name string
		m    *model.Model
	}{{"as run", r.Base}, {"what if", r.Alt}} {
		fmt.Fprintf(w, "%s: %d events, %d warnings; finished:", run.name, run.m.Len(), len(run.m.Warnings()))
		for _, l := range run.m.Lanes() {
			if n := len(l.Marks); n > 0 && l.Marks[n-1].S == sched.Exited && l.Kind == sched.KindUser {
				fmt.Fprintf(w, " %s@%s", l.Name, time.Duration(l.Marks[n-1].T))
			}
		}
		fmt.Fprintln(w)
	}
	if *shot != "" {
		test.NewApp() // software rendering needs an app, not a display
		f, err := os.Create(*shot)
		if err != nil {
			return err
		}
		defer f.Close()
		return png.Encode(f, gui.RenderWhatIf(r, fyne.NewSize(1100, 640)))
	}
	return nil
}
