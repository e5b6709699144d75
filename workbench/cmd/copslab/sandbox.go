package main

import (
	"errors"
	"flag"
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
		summary: "run a scheduler scenario in the host sandbox (list | run FILE|NAME [-trace] [-until T])",
		run:     runSandbox,
	})
}

const sandboxUsage = `usage:
  copslab sandbox list                       built-in scenarios
  copslab sandbox run FILE|NAME [flags]      run a scenario file or a built-in one
  copslab sandbox show NAME                  print a built-in scenario's YAML

run flags:
  -trace        print every transition with its cause (default true)
  -until T      stop at virtual time T (e.g. 500us, 2ms; default: the scenario's end)
  -summary      print the summary tables (default true)`

func runSandbox(args []string) error {
	if len(args) == 0 {
		return errors.New(sandboxUsage)
	}
	switch args[0] {
	case "list":
		return sandboxList(os.Stdout)
	case "show":
		if len(args) != 2 {
			return errors.New(sandboxUsage)
		}
		data, err := sandbox.Scenarios.ReadFile("scenarios/" + args[1] + ".yaml")
		if err != nil {
			return fmt.Errorf("no built-in scenario %q", args[1])
		}
		_, err = os.Stdout.Write(data)
		return err
	case "run":
		return sandboxRun(args[1:], os.Stdout)
	}
	return fmt.Errorf("unknown sandbox command %q\n%s", args[0], sandboxUsage)
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
	fs := flag.NewFlagSet("sandbox run", flag.ContinueOnError)
	trace := fs.Bool("trace", true, "print every transition with its cause")
	summary := fs.Bool("summary", true, "print the summary tables")
	until := fs.Duration("until", 0, "stop at this virtual time (e.g. 500us)")
	// Accept the scenario before or after the flags.
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if target == "" && fs.NArg() == 1 {
		target = fs.Arg(0)
	} else if target == "" || fs.NArg() != 0 {
		return errors.New(sandboxUsage)
	}
	sc, err := loadScenario(target)
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
