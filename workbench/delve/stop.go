package delve

// A Stop is what the source pane shows: where the debuggee stopped (the
// goroutine, its frames, the current line), the arguments and locals of
// the top frame, and the sandbox's decision number and clock.

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-delve/delve/service/api"
)

// Stop describes the debuggee where it stopped.
type Stop struct {
	Exited     bool
	ExitStatus int

	Goroutine  int64
	Frame      int    // the frame Func, File, Line, Args and Locals are of (0: the top; see InFrame)
	Func       string // full symbol, e.g. copslab/sched.(*Region).HighestProcMask
	File       string // absolute path of the source file
	Line       int
	Breakpoint string // function of the breakpoint that was hit, if any
	Frames     []Frame
	Args       []Var
	Locals     []Var
	Returned   []Var // return values after StepOut

	Decision int    // the debuggee's decision number
	Clock    uint64 // sandbox time (ns) when that decision started
	Seq      uint64 // sequence number of the first event that decision records
}

// Frame is one stack frame.
type Frame struct {
	Func string
	File string
	Line int
}

// Var is one variable, formatted on one line.
type Var struct {
	Name, Type, Value string
}

// InSched reports whether the stop is in the scheduler package's source.
func (s *Stop) InSched() bool {
	return !s.Exited && (strings.HasPrefix(s.Func, SchedPkg+".") || filepath.Base(filepath.Dir(s.File)) == filepath.Base(SchedPkg))
}

// Where is "file.go:line in Func" for status lines.
func (s *Stop) Where() string {
	if s.Exited {
		return fmt.Sprintf("the run is over (exit status %d)", s.ExitStatus)
	}
	return fmt.Sprintf("%s:%d in %s", filepath.Base(s.File), s.Line, ShortFunc(s.Func))
}

// Var returns the argument, local or return value called name.
func (s *Stop) Var(name string) (Var, bool) {
	for _, l := range [][]Var{s.Args, s.Locals, s.Returned} {
		for _, v := range l {
			if v.Name == name {
				return v, true
			}
		}
	}
	return Var{}, false
}

// ShortFunc drops the import path: sched.(*Region).HighestProcMask.
func ShortFunc(f string) string {
	if i := strings.LastIndexByte(f, '/'); i >= 0 {
		return f[i+1:]
	}
	return f
}

// loadCfg loads variables shallowly: no pointer is followed (the region
// argument is 60 KB; it is read raw and decoded instead).
var loadCfg = api.LoadConfig{FollowPointers: false, MaxVariableRecurse: 1, MaxStringLen: 64, MaxArrayValues: 16, MaxStructFields: -1}

// stopped turns a debugger state into a Stop and records it as the last.
func (s *Session) stopped(st *api.DebuggerState, err error) (*Stop, error) {
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("dlv returned no state")
	}
	if st.Exited {
		s.last = &Stop{Exited: true, ExitStatus: st.ExitStatus}
		return s.last, nil
	}
	if st.Err != nil {
		return nil, st.Err
	}
	th := st.CurrentThread
	if th == nil {
		return nil, fmt.Errorf("dlv reports no current thread")
	}
	out := &Stop{Goroutine: th.GoroutineID, File: th.File, Line: th.Line}
	if th.Function != nil {
		out.Func = th.Function.Name()
	}
	if th.Breakpoint != nil {
		out.Breakpoint = th.Breakpoint.FunctionName
	}
	out.Returned = vars(th.ReturnValues)
	scope := api.EvalScope{GoroutineID: th.GoroutineID}
	if frames, err := s.client.Stacktrace(th.GoroutineID, 24, 0, 0, nil); err == nil {
		for _, f := range frames {
			fr := Frame{File: f.File, Line: f.Line}
			if f.Function != nil {
				fr.Func = f.Function.Name()
			}
			out.Frames = append(out.Frames, fr)
		}
	}
	if a, err := s.client.ListFunctionArgs(scope, loadCfg); err == nil {
		out.Args = vars(a)
	}
	if l, err := s.client.ListLocalVariables(scope, loadCfg); err == nil {
		out.Locals = vars(l)
	}
	out.Decision = int(s.evalUint(varDecision))
	out.Clock = s.evalUint(varClock)
	out.Seq = s.evalUint(varNextSeq)
	s.last = out
	return out, nil
}

// InFrame returns the latest stop seen from frame n of its goroutine's
// stack (0 is the top): that frame's function, line, arguments and locals.
// The debuggee does not move.
func (s *Session) InFrame(n int) (*Stop, error) {
	if s.last == nil || s.last.Exited {
		return nil, fmt.Errorf("the debuggee is not stopped")
	}
	if n < 0 || n >= len(s.last.Frames) {
		return nil, fmt.Errorf("no frame %d (the stack has %d)", n, len(s.last.Frames))
	}
	out := *s.last
	f := out.Frames[n]
	out.Frame, out.Func, out.File, out.Line = n, f.Func, f.File, f.Line
	out.Args, out.Locals, out.Returned = nil, nil, nil
	if n == 0 {
		out.Returned = s.last.Returned
	}
	scope := api.EvalScope{GoroutineID: out.Goroutine, Frame: n}
	a, err := s.client.ListFunctionArgs(scope, loadCfg)
	if err != nil {
		return nil, fmt.Errorf("arguments of frame %d: %w", n, err)
	}
	l, err := s.client.ListLocalVariables(scope, loadCfg)
	if err != nil {
		return nil, fmt.Errorf("locals of frame %d: %w", n, err)
	}
	out.Args, out.Locals = vars(a), vars(l)
	return &out, nil
}

// evalUint evaluates an unsigned integer variable of the debuggee (0 when
// it cannot be read).
func (s *Session) evalUint(expr string) uint64 {
	v, err := s.client.EvalVariable(api.EvalScope{GoroutineID: -1}, expr, loadCfg)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(v.Value, 0, 64)
	return n
}

func vars(vs []api.Variable) []Var {
	out := make([]Var, 0, len(vs))
	for i := range vs {
		v := &vs[i]
		out = append(out, Var{Name: v.Name, Type: v.Type, Value: v.SinglelineString()})
	}
	return out
}
