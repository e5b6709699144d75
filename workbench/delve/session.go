// Package delve steps the scheduler's Go source with Delve. It runs the
// host sandbox as a separate small program (debuggee/, built with
// optimisations and inlining off) under a headless Delve server listening
// on loopback, and drives it with Delve's JSON-RPC client
// (github.com/go-delve/delve/service/rpc2): breakpoints on the sched
// operations, step / next / step out / continue, the stopped goroutine and
// its frames, locals and arguments.
//
// # Design
//
// The bare-metal kernel cannot be debugged by Delve (there is no RISC-V
// remote back end), but the sandbox runs the very same sched/ code, so a
// student can step HighestProcMask line by line and watch the decision it
// makes. At every stop the driver also reads the scheduler region out of
// the stopped process (raw memory, through Delve) and decodes it with
// sched.Decode, the decoder the workbench uses for any raw dump, so the
// line of code and its effect on the queues are shown together in the
// same views. The address of the region is published by the debuggee in a
// package variable; nothing here knows a field offset.
//
// "Step into the next decision" uses a hook in the debuggee: the driver
// writes the decision number (or a time) to stop at into a variable, runs
// with the user's breakpoints disabled to the debuggee's arrived function,
// then to the first call of DecisionFunc, and stops there in sched/.
//
// A Session is safe for use from one goroutine at a time; the window runs
// it on a worker goroutine of its own. Every name the driver looks for is
// listed in names.go.
package delve

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-delve/delve/service/api"
	"github.com/go-delve/delve/service/rpc2"
)

// Session is one debuggee under one headless dlv.
type Session struct {
	Scenario string
	// Symbols maps each name of Funcs found in the binary to its full
	// symbol(s); Missing lists the names not found.
	Symbols map[string][]string
	Missing []string

	srv    *server
	client *rpc2.RPCClient
	dir    string
	bps    map[string][]int // Funcs name → breakpoint ids
	last   *Stop
}

// Start builds the debuggee, starts it under a headless dlv and connects.
// The process is stopped before main; Continue runs it.
func Start(o Options) (*Session, error) {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	dlv, err := FindDlv(o.Dlv)
	if err != nil {
		return nil, err
	}
	root, err := FindRoot(o.Root)
	if err != nil {
		return nil, err
	}
	scenario := o.Scenario
	if scenario == "" {
		scenario = "tiny"
	}
	if st, err := os.Stat(scenario); err == nil && !st.IsDir() {
		if abs, err := filepath.Abs(scenario); err == nil {
			scenario = abs
		}
	}
	dir, err := os.MkdirTemp("", "copslab-delve-")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	s := &Session{Scenario: scenario, dir: dir, bps: map[string][]int{}}
	exe, err := BuildDebuggee(ctx, root, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if s.srv, err = startServer(ctx, dlv, exe, scenario); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", s.srv.addr, 30*time.Second)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("connecting to dlv at %s: %w", s.srv.addr, err)
	}
	s.client = rpc2.NewClientFromConn(conn)
	s.client.SetReturnValuesLoadConfig(&loadCfg)
	if err := s.resolve(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// resolve finds the symbol of every name in Funcs.
func (s *Session) resolve() error {
	all, err := s.client.ListFunctions("^"+regexp.QuoteMeta(SchedPkg)+`\.`, 0)
	if err != nil {
		return fmt.Errorf("listing the debuggee's functions: %w", err)
	}
	s.Symbols = map[string][]string{}
	for _, sym := range all {
		i := strings.LastIndexByte(sym, '.')
		name := sym[i+1:]
		if slices.Contains(Funcs, name) {
			s.Symbols[name] = append(s.Symbols[name], sym)
		}
	}
	host := "(*" + HostReceiver + ")."
	for _, f := range Funcs {
		if syms := s.Symbols[f]; len(syms) > 1 {
			var shared []string
			for _, sym := range syms {
				if !strings.Contains(sym, host) {
					shared = append(shared, sym)
				}
			}
			if len(shared) > 0 {
				s.Symbols[f] = shared
			}
		}
		if len(s.Symbols[f]) == 0 {
			s.Missing = append(s.Missing, f)
		}
	}
	if len(s.Symbols) == 0 {
		return fmt.Errorf("no scheduler function of %v found in the debuggee (was %s renamed?)", Funcs, SchedPkg)
	}
	return nil
}

// Close kills the debuggee and dlv and removes the build directory.
func (s *Session) Close() error {
	if s.client != nil {
		s.client.Detach(true)
		s.client = nil
	}
	if s.srv != nil {
		s.srv.wait(10 * time.Second)
	}
	return os.RemoveAll(s.dir)
}

// Output returns the last few KiB that dlv and the debuggee printed.
func (s *Session) Output() string { return s.srv.out.String() }

// Break sets a breakpoint on every symbol of the scheduler function name
// (one of Funcs); a second call does nothing.
func (s *Session) Break(name string) error {
	if len(s.bps[name]) > 0 {
		return nil
	}
	syms := s.Symbols[name]
	if len(syms) == 0 {
		return fmt.Errorf("no scheduler function %q in the debuggee", name)
	}
	for _, sym := range syms {
		bp, err := s.client.CreateBreakpoint(&api.Breakpoint{FunctionName: sym})
		if err != nil {
			return fmt.Errorf("breakpoint on %s: %w", sym, err)
		}
		s.bps[name] = append(s.bps[name], bp.ID)
	}
	return nil
}

// Unbreak clears the breakpoints on name.
func (s *Session) Unbreak(name string) error {
	for _, id := range s.bps[name] {
		if _, err := s.client.ClearBreakpoint(id); err != nil {
			return err
		}
	}
	delete(s.bps, name)
	return nil
}

// Breaks reports whether a breakpoint is set on name.
func (s *Session) Breaks(name string) bool { return len(s.bps[name]) > 0 }

// Last returns the latest stop (nil before the first).
func (s *Session) Last() *Stop { return s.last }

// Continue runs until a breakpoint or the end of the run.
func (s *Session) Continue() (*Stop, error) {
	var st *api.DebuggerState
	for x := range s.client.Continue() {
		st = x
	}
	return s.stopped(st, nil)
}

// Step steps one source line, into calls.
func (s *Session) Step() (*Stop, error) { return s.stopped(s.client.Step()) }

// Next steps one source line, over calls.
func (s *Session) Next() (*Stop, error) { return s.stopped(s.client.Next()) }

// StepOut runs until the current function returns; the Stop carries its
// return values.
func (s *Session) StepOut() (*Stop, error) { return s.stopped(s.client.StepOut()) }

// Restart starts the debuggee over (breakpoints are kept); it is stopped
// before main again.
func (s *Session) Restart() error {
	if _, err := s.client.Restart(false); err != nil {
		return fmt.Errorf("restarting the debuggee: %w", err)
	}
	s.last = nil
	return nil
}

// RunToDecision runs to the decision numbered n (from 1, one decision per
// sandbox step, as the workbench's Step button counts them) and stops at
// the first call of DecisionFunc in it. A debuggee already at or past
// decision n (or finished) is restarted first.
func (s *Session) RunToDecision(n int) (*Stop, error) {
	n = max(n, 1)
	past := s.last != nil && (s.last.Exited || s.last.Decision >= n)
	return s.runTo(past, varStopDecision, strconv.Itoa(n))
}

// NextDecision runs to the decision after the current one (RunToDecision);
// after the end of the run, to the first decision of a new run.
func (s *Session) NextDecision() (*Stop, error) {
	d := 0
	if s.last != nil && !s.last.Exited {
		d = s.last.Decision
	}
	return s.RunToDecision(d + 1)
}

// RunToTime runs to the first decision that starts at or after t (sandbox
// nanoseconds, as the timeline shows them) and stops at the first call of
// DecisionFunc in it: "step into the next decision" from the timeline. A
// debuggee whose current decision started after t (or finished) is
// restarted first.
func (s *Session) RunToTime(t uint64) (*Stop, error) {
	t = max(t, 1)
	past := s.last != nil && (s.last.Exited || s.last.Clock > t)
	return s.runTo(past, varStopTime, strconv.FormatUint(t, 10))
}

// RunToEvent runs to the decision that records the trace event with
// sequence number seq (each decision records its events in one tick, so
// that is the first decision whose first event is seq or later) and stops
// at the first call of DecisionFunc in it. From the timeline: seq is the
// first event after the time cursor, so the stop is in the next decision
// the views have not shown. A debuggee already past it is restarted.
func (s *Session) RunToEvent(seq uint64) (*Stop, error) {
	past := s.last != nil && (s.last.Exited || s.last.Seq > seq)
	return s.runTo(past, varStopEvent, strconv.FormatUint(seq+1, 10))
}

// runTo arms the debuggee's stop variable, runs with the user's
// breakpoints disabled to arrived and then to DecisionFunc.
func (s *Session) runTo(restart bool, variable, value string) (*Stop, error) {
	if len(s.Symbols[DecisionFunc]) == 0 {
		return nil, fmt.Errorf("the decision function %s is not in the debuggee", DecisionFunc)
	}
	if restart {
		if err := s.Restart(); err != nil {
			return nil, err
		}
	}
	if err := s.client.SetVariable(api.EvalScope{GoroutineID: -1}, variable, value); err != nil {
		return nil, fmt.Errorf("setting %s: %w", variable, err)
	}
	restore, err := s.disableAll()
	defer restore()
	if err != nil {
		return nil, err
	}
	for _, loc := range [][]string{{fnArrived}, s.Symbols[DecisionFunc]} {
		st, err := s.runToFunc(loc)
		if err != nil || st.Exited {
			return st, err
		}
	}
	return s.last, nil
}

// runToFunc continues to a temporary breakpoint on each symbol.
func (s *Session) runToFunc(syms []string) (*Stop, error) {
	var ids []int
	defer func() {
		for _, id := range ids {
			s.client.ClearBreakpoint(id)
		}
	}()
	for _, sym := range syms {
		bp, err := s.client.CreateBreakpoint(&api.Breakpoint{FunctionName: sym})
		if err != nil {
			return nil, fmt.Errorf("breakpoint on %s: %w", sym, err)
		}
		ids = append(ids, bp.ID)
	}
	return s.Continue()
}

// disableAll disables the user's breakpoints; restore enables them again.
func (s *Session) disableAll() (restore func(), err error) {
	var off []*api.Breakpoint
	restore = func() {
		for _, bp := range off {
			bp.Disabled = false
			s.client.AmendBreakpoint(bp)
		}
	}
	bps, err := s.client.ListBreakpoints(false)
	if err != nil {
		return restore, err
	}
	for _, bp := range bps {
		if bp.ID <= 0 || bp.Disabled { // negative ids are Delve's own (panics, fatal errors)
			continue
		}
		bp.Disabled = true
		if err := s.client.AmendBreakpoint(bp); err != nil {
			return restore, fmt.Errorf("disabling breakpoint %d: %w", bp.ID, err)
		}
		off = append(off, bp)
	}
	return restore, nil
}
