// Package target is the workbench's only door to a running system. A
// Target hands out trace events (one scheduling decision at a time) and
// snapshots of the whole scheduler state in the model's types; the views
// never see a target, only the model it feeds.
//
// The contract is split as in debugger back ends: Target is what every
// target offers; optional capabilities (Runner, Restarter) are separate
// interfaces a caller checks with a type assertion. Conversions from a
// back end's own types live in one file per back end (sandbox.go, qemu.go).
package target

import (
	"errors"
	"fmt"
	"time"

	"copslab/sched"
	"copslab/workbench/model"
)

// Info describes a target for titles and recordings.
type Info struct {
	Kind        string // "sandbox", "qemu"
	Name        string // scenario or board
	Description string
	Source      string // the scenario as given: a built-in name or a file ("" = the default)
}

// Target is a live system the workbench watches and drives.
type Target interface {
	Info() Info
	// Step advances to the next scheduling decision and returns the events
	// recorded on the way (none once Done).
	Step() ([]sched.Event, error)
	// Snapshot returns the whole scheduler state now.
	Snapshot() (*model.Snapshot, error)
	// Now returns the target's clock in nanoseconds.
	Now() uint64
	// Done reports whether the run is over.
	Done() bool
	Close() error
}

// Runner is a target that can run freely until a time.
type Runner interface {
	// RunUntil advances until Now() >= t or the run ends.
	RunUntil(t uint64) ([]sched.Event, error)
}

// Streamer is a target that runs on its own clock and reports what it
// recorded in batches (the live kernel): stepping it one decision at a
// time through breakpoints would be far slower than its own pace.
type Streamer interface {
	// Stream lets the target run for about wall of real time, at most
	// until its clock reaches until, and returns the events recorded.
	Stream(wall time.Duration, until uint64) ([]sched.Event, error)
}

// Changer is a target whose running system can be changed between two
// decisions (the what-if replay): a coroutine's priority, or the policy —
// fifo puts every coroutine at priority level (priorities ignored),
// noBoost stops a pending user interrupt from boosting its process.
type Changer interface {
	SetPrio(co string, prio uint8) error
	SetPolicy(fifo bool, level uint8, noBoost bool) error
}

// Restarter is a target that can start over from the beginning.
type Restarter interface {
	Restart() error
}

// Options select and configure a target.
type Options struct {
	Kind     string // "sandbox" (default) or "qemu"
	Scenario string // sandbox: built-in name or YAML file
	QEMU     QEMUOptions
}

// ErrUnsupported is returned for capabilities a target lacks.
var ErrUnsupported = errors.New("target kind not supported yet")

// Kinds lists the target kinds Open knows.
var Kinds = []string{"sandbox", "qemu"}

// Open starts a target.
func Open(o Options) (Target, error) {
	switch o.Kind {
	case "", "sandbox":
		return OpenSandbox(o.Scenario)
	case "qemu":
		return OpenQEMU(o.QEMU)
	}
	return nil, fmt.Errorf("unknown target kind %q (have %v)", o.Kind, Kinds)
}
