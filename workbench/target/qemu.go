package target

// This file is the only place that adapts the live kernel (package live:
// QEMU's gdb stub, the kernel's trace ring) to Target. The kernel has no
// scheduler region yet, so keyframes are the model's own reconstruction
// from the ring's events (every event arrives, in order, with its
// sequence number; a gap is counted as lost).

import (
	"errors"
	"fmt"
	"time"

	"copslab/boards"
	"copslab/sched"
	"copslab/workbench/live"
	"copslab/workbench/model"
)

// DefaultKernelWorkload is the kernel command line when none is given:
// the shell's init, so the window shows the kernel idling at its prompt
// until the user types (the console is in the window).
const DefaultKernelWorkload = ""

// QEMUOptions configure the qemu target.
type QEMUOptions struct {
	Kernel   string // kernel ELF
	Board    string // board profile path
	QEMU     string // QEMU binary (empty: the board's)
	Attach   string // host:port of a running stub (empty: launch)
	Append   string // kernel command line
	Stub     string // gdb stub: "qemu" (QEMU's own, the default) or "kernel" (the kernel's, second UART)
	Progress func(string)
}

// Streaming parameters (doc.go of package live explains the choice).
const (
	// slice is how long the hart runs between two halts that drain the
	// ring. Short on purpose, measured with BenchmarkKernelStreamLoss
	// (pipeping, 2 shared cores under load): 2 ms slices carried 22,000–
	// 35,000 events/s, the fullest read finding 460–3,082 of the ring's
	// 4,096 events; 30 ms slices 8,000–9,700 events/s and 2,281–3,534 (a
	// QEMU that sleeps often gets the busy host's cores sooner). The
	// fullest reads came after halts that arrived hundreds of ms late,
	// which no slice length prevents.
	slice = 2 * time.Millisecond
	// decisionWait bounds Step when the kernel makes no decision (idle
	// at a prompt): Step then returns no events.
	decisionWait = 2 * time.Second
)

type qemuTarget struct {
	o     QEMUOptions
	board *boards.Profile
	k     *live.Kernel
	snap  *model.Snapshot
	used  bool              // events were taken since the launch
	names map[uint16]string // process names from the kernel's thread table
}

var (
	_ Target    = (*qemuTarget)(nil)
	_ Runner    = (*qemuTarget)(nil)
	_ Streamer  = (*qemuTarget)(nil)
	_ Restarter = (*qemuTarget)(nil)
)

// OpenQEMU launches (or attaches to) the kernel and leaves it halted at
// its first instruction (or wherever the attached one was).
func OpenQEMU(o QEMUOptions) (Target, error) {
	t := &qemuTarget{o: o}
	if o.Attach == "" {
		p, err := boards.Load(o.Board)
		if err != nil {
			return nil, err
		}
		t.board = p
	}
	return t, t.open()
}

func (t *qemuTarget) open() error {
	k, err := live.Open(live.Options{Kernel: t.o.Kernel, Attach: t.o.Attach, Board: t.board,
		QEMU: t.o.QEMU, Append: t.o.Append, Stub: t.o.Stub, Progress: t.o.Progress, Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	t.k, t.used, t.names = k, false, map[uint16]string{}
	t.snap = &model.Snapshot{Harts: []model.HartState{{Hart: 0, Proc: sched.NoProc, Co: sched.NoCo}}}
	return nil
}

// Kernel is the live session (for the debugger pane and the proxy).
func (t *qemuTarget) Kernel() *live.Kernel { return t.k }

func (t *qemuTarget) Info() Info {
	name := "attached " + t.o.Attach
	if t.board != nil {
		name = t.board.Name
	}
	if t.o.Stub == live.StubKernel {
		name += " · kernel's gdb stub"
	}
	if t.o.Append != "" {
		name += " · " + t.o.Append
	}
	return Info{Kind: "qemu", Name: name,
		Description: fmt.Sprintf("copslab kernel %s (build id %s)", t.o.Kernel, t.k.Img.BuildIDString())}
}

// Restart boots a launched kernel again; an attached one can only be
// "restarted" before anything ran.
func (t *qemuTarget) Restart() error {
	if !t.used {
		return nil
	}
	if t.o.Attach != "" {
		return errors.New("an attached kernel cannot be restarted from here: restart QEMU, then reconnect")
	}
	t.k.Close()
	return t.open()
}

// Reopen starts a new session with the same options (a launched kernel
// boots again; an attached stub is dialled again): reconnecting after
// QEMU went away.
func (t *qemuTarget) Reopen() (Target, error) { return OpenQEMU(t.o) }

func (t *qemuTarget) take(evs []sched.Event, err error) ([]sched.Event, error) {
	t.used = t.used || len(evs) > 0
	for i := range evs {
		t.snap.Apply(&evs[i])
	}
	return evs, err
}

func (t *qemuTarget) Step() ([]sched.Event, error) {
	return t.take(t.k.NextDecision(decisionWait))
}

// RunUntil runs until the guest clock reaches tm (or the kernel ends).
func (t *qemuTarget) RunUntil(tm uint64) ([]sched.Event, error) {
	return t.Stream(time.Duration(1<<62), tm)
}

// Stream runs in slices between halts that drain the ring, for about
// wall in all or until the guest clock reaches until.
func (t *qemuTarget) Stream(wall time.Duration, until uint64) ([]sched.Event, error) {
	var all []sched.Event
	start := time.Now()
	for !t.Done() && t.k.Now() < until && time.Since(start) < wall {
		evs, err := t.take(t.k.RunFor(slice))
		all = append(all, evs...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

func (t *qemuTarget) Now() uint64 { return t.k.Now() }

func (t *qemuTarget) Done() bool {
	ended, _, _ := t.k.Ended()
	return ended
}

func (t *qemuTarget) Close() error { return t.k.Close() }

// Snapshot is the state rebuilt from every event so far (see the top of
// this file), named after the kernel's processes ("sh (pid 1)", from its
// thread table, read when a new process shows up) and thread ids.
func (t *qemuTarget) Snapshot() (*model.Snapshot, error) {
	s := t.snap.Clone()
	s.Time = max(s.Time, t.k.Now())
	for i := range s.Procs {
		if _, ok := t.names[s.Procs[i].ID]; !ok && !t.k.Running() && !t.Done() {
			t.learnNames()
		}
		name := t.names[s.Procs[i].ID]
		if name == "" {
			s.Procs[i].Name = fmt.Sprintf("pid %d", s.Procs[i].ID)
		} else {
			s.Procs[i].Name = fmt.Sprintf("%s (pid %d)", name, s.Procs[i].ID)
		}
	}
	for i := range s.Cos {
		if s.Cos[i].Name == "" {
			s.Cos[i].Name = kernelTaskName(s.Cos[i].ID, s.Cos[i].Kind)
		}
	}
	return s, nil
}

// kernelTaskName names a task of the kernel's trace: the executor's
// scheduler coroutine, another kernel coroutine (the console driver,
// system-call work), a user coroutine (ids of sched.Local coroutines carry
// a generation above slot and index, so they never fall below
// MaxProcs*LocalCos; the index is the coroutine's place in its Local) or
// a thread (its tid).
func kernelTaskName(id uint32, kind sched.Kind) string {
	switch {
	case kind == sched.KindKernelScheduler:
		return "kernel scheduler"
	case kind == sched.KindKernelSyscall:
		return fmt.Sprintf("kernel co %d", id%sched.LocalCos)
	case id >= sched.MaxProcs*sched.LocalCos:
		return fmt.Sprintf("co %d", id%sched.LocalCos)
	}
	return fmt.Sprintf("tid %d", id)
}

// learnNames reads the process names of the live threads; a process that
// already ended stays unnamed (recorded as "" so it is asked once).
func (t *qemuTarget) learnNames() {
	slots, err := t.k.Threads()
	if err != nil {
		return
	}
	for _, sl := range slots {
		t.names[sl.PID] = sl.ProcName()
	}
	for _, p := range t.snap.Procs {
		if _, ok := t.names[p.ID]; !ok {
			t.names[p.ID] = ""
		}
	}
}
