package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"copslab/sched"
)

// Scenario is a parsed, validated scenario file.
type Scenario struct {
	Name        string
	Description string
	Harts       int    // simulated harts, 1..sched.MaxHarts (default 1)
	TickNS      uint64 // virtual nanoseconds per tick (default 1000)
	Quantum     uint64 // timer-preemption quantum in ticks (default 10)
	Costs       Costs
	Until       uint64 // stop after this many ticks; 0 runs to completion
	MaxTicks    uint64 // safety limit when Until is 0 (default 10,000,000)
	// KernelSyscalls serves each async I/O of a coroutines-mode process
	// with a kernel-syscall coroutine in process 0 (priority 0), as COPS
	// does: spawned and blocked at submit, woken by the device, exits
	// after raising the user interrupt. Off: the kernel side is markers only.
	KernelSyscalls bool
	Procs          []ProcSpec
	// LostWakeups makes the user-interrupt handler racy (YAML
	// "lost_wakeups"): a completion whose coroutine is not blocked on it
	// (it submitted and has not reached await yet) is dropped instead of
	// recorded, so the later await blocks for ever. For the lessons about
	// the handler/lock race; see signals.go.
	LostWakeups bool
	// Uintr times the stages of a user-interrupt wakeup (YAML "uintr:").
	// A Scenario built in Go with a zero Uintr behaves as before it
	// existed: the kernel and delivery stages take no time and the handler
	// costs Costs.Uintr ticks. ParseScenario fills in DefaultUintr.
	Uintr UintrCosts
}

// UintrCosts are the virtual-time costs of the stages between an I/O
// completion and the woken coroutine, in nanoseconds. The simulation runs
// in ticks, so each value is rounded up to whole ticks (see Ticks).
//
//	io-done ──KernelNS──▶ uintr-send ──DeliveryNS──▶ handler starts ──HandlerNS──▶ wake (CauseUintr)
//
// The process's pending flag (global priority boosted to 0) is set at
// uintr-send and cleared when the handler has woken every completed
// request. Delivery needs the process on a hart: if it is not running
// when DeliveryNS has passed, the boost gets it placed and the handler
// starts then. Threads-mode processes have no user interrupt; KernelNS
// delays their kernel wake (io-done → wake) the same way.
type UintrCosts struct {
	KernelNS   uint64 // the kernel's completion work: io-done → uintr-send (or → thread wake)
	DeliveryNS uint64 // emulated delivery: uintr-send → the handler can start (QEMU has no N extension; the kernel emulates it)
	HandlerNS  uint64 // the user handler's run time before it wakes the coroutine, charged to the hart; 0: Costs.Uintr ticks
}

// DefaultUintr are the stage costs a parsed scenario gets when it does not
// set them: 1 µs of kernel completion work, 2 µs of emulated delivery, 1 µs
// of handler.
var DefaultUintr = UintrCosts{KernelNS: 1000, DeliveryNS: 2000, HandlerNS: 1000}

// ticks converts ns to whole ticks, rounding up.
func (sc *Scenario) ticks(ns uint64) uint64 { return (ns + sc.TickNS - 1) / sc.TickNS }

// UintrTicks returns the effective kernel, delivery and handler costs in
// ticks (each UintrCosts value rounded up; the handler falls back to
// Costs.Uintr when HandlerNS is 0).
func (sc *Scenario) UintrTicks() (kernel, delivery, handler uint64) {
	handler = sc.Costs.Uintr
	if sc.Uintr.HandlerNS > 0 {
		handler = sc.ticks(sc.Uintr.HandlerNS)
	}
	return sc.ticks(sc.Uintr.KernelNS), sc.ticks(sc.Uintr.DeliveryNS), handler
}

// Costs are overheads in ticks, charged to the hart.
type Costs struct {
	CoSwitch   uint64 // switching coroutines inside a process
	ProcSwitch uint64 // switching processes or threads on a hart
	Uintr      uint64 // running the user-interrupt handler; superseded by UintrCosts.HandlerNS when that is set
}

// Mode says how a process runs its coroutines.
type Mode uint8

const (
	ModeCoroutines Mode = iota // one context, coroutines fetched by priority, async I/O via user interrupts
	ModeThreads                // one kernel thread per coroutine, blocking I/O woken by the kernel
)

func (m Mode) String() string {
	if m == ModeThreads {
		return "threads"
	}
	return "coroutines"
}

// ProcSpec describes one process.
type ProcSpec struct {
	Name string
	Mode Mode
	Hart int // pin to this hart; -1 (default) runs anywhere
	Cos  []CoSpec
	Line int // line in the scenario file
}

// CoSpec describes a coroutine (or, in threads mode, a thread) and how many
// identical copies to start.
type CoSpec struct {
	Name   string
	Prio   uint8
	Count  int    // copies, named Name#0..; default 1 (then just Name)
	Start  uint64 // tick at which they are spawned
	Repeat int    // times the work list runs; each run is one request (default 1)
	Work   []Step
	Line   int
}

// Op is a kind of work step.
type Op uint8

const (
	OpCompute Op = iota // use the hart for Ticks ticks
	OpIO                // asynchronous I/O completing after Ticks ticks ("read"/"write")
	OpSleep             // block for Ticks ticks
	OpYield             // give the hart to the next ready coroutine
	OpSpawn             // spawn Spawn in the same process
	OpWait              // take a signal of event Name, blocking until one is given (signals.go)
	OpSignal            // give a signal of event Name: wake its oldest waiter, or keep it
	OpSubmit            // start an asynchronous I/O of Ticks ticks without waiting for it
	OpAwait             // block until every submitted I/O has completed
	numOps
)

var opNames = [numOps]string{"compute", "io", "sleep", "yield", "spawn", "wait", "signal", "submit", "await"}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return "Op(?)"
}

// Step is one item of a work list.
type Step struct {
	Op    Op
	Ticks uint64
	Spawn *CoSpec
	Name  string // OpWait, OpSignal: the event
	Line  int
}

// LoadScenario reads and parses a scenario file.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseScenario(data, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
}

// ParseScenario parses and validates a scenario. name is used for error
// messages and as the scenario's name when the file has none. Unknown
// fields and bad values are errors that name the line.
func ParseScenario(data []byte, name string) (*Scenario, error) {
	sc, err := parseYAML(data, name)
	if err != nil {
		return nil, err
	}
	if err := sc.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return sc, nil
}

// lineError is a validation error at a line of the scenario.
func lineError(line int, f string, a ...any) error {
	if line > 0 {
		return fmt.Errorf("line %d: %s", line, fmt.Sprintf(f, a...))
	}
	return fmt.Errorf(f, a...)
}

func (sc *Scenario) validate() error {
	if sc.Harts < 1 || sc.Harts > sched.MaxHarts {
		return fmt.Errorf("harts must be 1..%d, got %d", sched.MaxHarts, sc.Harts)
	}
	if sc.TickNS == 0 || sc.Quantum == 0 {
		return fmt.Errorf("tick_ns and quantum must be positive")
	}
	if len(sc.Procs) == 0 {
		return fmt.Errorf("no processes")
	}
	slots := 0
	names := map[string]bool{}
	for _, p := range sc.Procs {
		if names[p.Name] {
			return lineError(p.Line, "duplicate process name %q", p.Name)
		}
		names[p.Name] = true
		if p.Hart >= sc.Harts {
			return lineError(p.Line, "process %q pinned to hart %d, scenario has %d harts", p.Name, p.Hart, sc.Harts)
		}
		n := 0
		for i := range p.Cos {
			n += p.Cos[i].instances()
		}
		if p.Mode == ModeCoroutines && n > sched.LocalCos {
			return lineError(p.Line, "process %q starts %d coroutines, a process has %d slots", p.Name, n, sched.LocalCos)
		}
		if p.Mode == ModeThreads {
			slots += n
		} else {
			slots++
		}
	}
	if slots >= sched.MaxProcs {
		return fmt.Errorf("scenario needs %d process/thread slots, the region has %d (slot 0 is the kernel)", slots, sched.MaxProcs-1)
	}
	for _, p := range sc.Procs {
		if line := p.splitIOLine(); line > 0 && p.Mode == ModeThreads {
			return lineError(line, "submit and await need mode coroutines (process %q runs threads)", p.Name)
		}
	}
	return nil
}

// instances is the number of copies a CoSpec starts.
func (c *CoSpec) instances() int {
	if c.Count < 1 {
		return 1
	}
	return c.Count
}

// instanceName names copy i of c.
func (c *CoSpec) instanceName(i int) string {
	if c.Count <= 1 {
		return c.Name
	}
	return fmt.Sprintf("%s#%d", c.Name, i)
}
