package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"copslab/sched/sandbox"
)

// copslab sandbox: run scenarios in the host sandbox (sched/sandbox).
func init() {
	register(&command{
		name:    "sandbox",
		summary: "run a scheduler scenario in the host sandbox: sandbox list | run FILE|NAME [--trace=false] [--until T] | show NAME",
		run:     runSandbox,
	})
}

// sandboxFlags are the flags of sandbox run, and the usage of all three
// sandbox commands.
type sandboxFlags struct {
	*flags
	trace, summary *bool
	until          *time.Duration
}

func newSandboxFlags() *sandboxFlags {
	fs := newFlags("sandbox", `copslab sandbox list              built-in scenarios
       copslab sandbox run FILE|NAME     run a scenario file or a built-in one [flags]
       copslab sandbox show NAME         print a built-in scenario's YAML`)
	return &sandboxFlags{
		flags:   fs,
		trace:   fs.Bool("trace", true, "print every transition with its cause"),
		summary: fs.Bool("summary", true, "print the summary tables"),
		until:   fs.Duration("until", 0, "stop at this virtual time, e.g. 500us (default: the scenario's end)"),
	}
}

func runSandbox(args []string) error {
	fs := newSandboxFlags()
	if len(args) == 0 {
		return fs.bad("missing command: list, run or show")
	}
	switch args[0] {
	case "list", "show":
		if err := fs.parse(args[1:], map[string]int{"list": 0, "show": 1}[args[0]]); err != nil {
			return err
		}
		if args[0] == "list" {
			return sandboxList(os.Stdout)
		}
		data, err := sandbox.Scenarios.ReadFile("scenarios/" + fs.Arg(0) + ".yaml")
		if err != nil {
			return fmt.Errorf("no built-in scenario %q", fs.Arg(0))
		}
		_, err = os.Stdout.Write(data)
		return err
	case "run":
		return sandboxRun(args[1:], os.Stdout)
	case "-h", "--help", "help":
		return &helpRequest{fs.flags}
	}
	return fs.bad(fmt.Sprintf("unknown sandbox command %q", args[0]))
}

func sandboxList(w io.Writer) error {
	for _, n := range sandbox.BuiltinNames() {
		sc, err := sandbox.Builtin(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-12s %s\n", n, sc.Description)
	}
	return nil
}

func sandboxRun(args []string, w io.Writer) error {
	fs := newSandboxFlags()
	if err := fs.parse(args, 1); err != nil { // the scenario may come before or after the flags
		return err
	}
	trace, summary, until := fs.trace, fs.summary, fs.until
	sc, err := loadScenario(fs.Arg(0))
	if err != nil {
		return err
	}
	sim, err := sandbox.New(sc)
	if err != nil {
		return err
	}
	stop := ^uint64(0)
	if *until > 0 {
		stop = uint64(*until / time.Nanosecond)
	}
	for !sim.Done() && sim.Now() < stop {
		events, _, err := sim.Step()
		if *trace {
			sandbox.WriteTrace(w, events, sim)
		}
		if err != nil {
			return err
		}
	}
	if *summary {
		fmt.Fprintln(w)
		return sandbox.WriteSummary(w, sim.Summary())
	}
	return nil
}

// loadScenario takes a file path, or the name of a built-in scenario.
func loadScenario(target string) (*sandbox.Scenario, error) {
	if _, err := os.Stat(target); err == nil {
		return sandbox.LoadScenario(target)
	}
	if strings.ContainsAny(target, "/.") {
		return nil, fmt.Errorf("no scenario file %s", target)
	}
	return sandbox.Builtin(target)
}
