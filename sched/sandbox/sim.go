package sandbox

import (
	"fmt"

	"copslab/sched"
)

// Sim is one run of a scenario. It is deterministic: the same scenario
// always produces the same events. A Sim is not safe for concurrent use.
type Sim struct {
	sc     *Scenario
	reg    *sched.Region
	tick   uint64
	procs  []*proc           // by region slot; procs[0] is the kernel
	cos    map[uint32]*coro  // every coroutine ever spawned, by id
	kcos   map[uint32]string // kernel-syscall coroutine names, by id
	order  []*coro           // spawn order
	harts  []*hart           // sc.Harts of them
	dev    devices           // pending I/O, sleeps and delayed spawns
	events map[string]*event // named signals (signals.go)
	policy Policy            // what-if changes (whatif.go)
	buf    [256]sched.Event  // drain buffer
	out    []sched.Event     // events of the current Step/RunUntil
	count  counters
	err    error
	done   bool
}

// proc is one kernel-schedulable context: a coroutines-mode process, or one
// thread of a threads-mode process.
type proc struct {
	slot   uint16
	name   string
	spec   *ProcSpec
	uintr  []uintrRec // raised user interrupts not yet handled, oldest first
	waiter map[uint64]*coro
	lastCo uint32
}

// uintrRec is one raised user interrupt: request req, deliverable from
// tick at (uintr-send + the delivery latency).
type uintrRec struct {
	req, at uint64
}

// coro is the simulator's side of a coroutine: where it is in its work.
type coro struct {
	id        uint32
	name      string
	p         *proc
	spec      *CoSpec
	step      int
	iter      int
	left      uint64   // compute ticks left in the current step
	iterStart uint64   // tick the current request started
	submitted []uint64 // submitted I/O not yet delivered (signals.go)
	awaiting  bool     // blocked in await
	stats     CoStats
}

// hart is one simulated CPU.
type hart struct {
	id   uint8
	mask uint64 // region slots allowed on this hart
	p    *proc  // process placed on it, or nil
	last *proc  // last process it ran (switch cost)
	busy uint64 // overhead ticks still to spend
	// handled are the interrupts whose handler is running (busy); it wakes
	// their coroutines when busy reaches 0.
	handled []uintrRec
	ran     uint64 // ticks since p was placed (quantum)
	stats   HartStats
}

type counters struct {
	events, preempts, procSwitches, coSwitches, uintrs int
}

// New builds a simulation of sc at time 0: processes created, the
// coroutines with start 0 spawned, nothing run yet.
func New(sc *Scenario) (*Sim, error) {
	if sc == nil {
		return nil, fmt.Errorf("sandbox: nil scenario")
	}
	if err := sc.validate(); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s := &Sim{sc: sc, reg: new(sched.Region), cos: map[uint32]*coro{}, kcos: map[uint32]string{}}
	s.reg.Init()
	s.lock()
	defer s.unlock()
	s.procs = []*proc{{slot: 0, name: "kernel"}}
	for h := 0; h < sc.Harts; h++ {
		s.harts = append(s.harts, &hart{id: uint8(h), stats: HartStats{Hart: h}})
	}
	for i := range sc.Procs {
		ps := &sc.Procs[i]
		var p *proc
		if ps.Mode == ModeCoroutines {
			var err error
			if p, err = s.newProc(ps, ps.Name); err != nil {
				return nil, err
			}
		}
		for j := range ps.Cos {
			s.dev.addStart(ps.Cos[j].Start, ps, p, &ps.Cos[j])
		}
	}
	s.startDue()
	s.drain() // the initial spawn events are returned by the first Step
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

// newProc takes a region process slot for a process or thread.
func (s *Sim) newProc(ps *ProcSpec, name string) (*proc, error) {
	slot := uint16(len(s.procs))
	if slot >= sched.MaxProcs {
		return nil, fmt.Errorf("sandbox: out of process slots creating %q", name)
	}
	if e := s.reg.AddProc(slot); e != sched.OK {
		return nil, fmt.Errorf("sandbox: creating %q: %w", name, e)
	}
	p := &proc{slot: slot, name: name, spec: ps, waiter: map[uint64]*coro{}, lastCo: sched.NoCo}
	s.procs = append(s.procs, p)
	for _, h := range s.harts {
		if ps.Hart < 0 || ps.Hart == int(h.id) {
			h.mask |= 1 << slot
		}
	}
	return p, nil
}

// Scenario returns the scenario being run.
func (s *Sim) Scenario() *Scenario { return s.sc }

// Now returns the virtual time in nanoseconds.
func (s *Sim) Now() uint64 { return s.tick * s.sc.TickNS }

// Done reports whether the run is over: everything exited, Until reached,
// or an error occurred.
func (s *Sim) Done() bool { return s.done }

// Err returns the error that ended the run, if any.
func (s *Sim) Err() error { return s.err }

// Step advances the clock to and through the next tick in which the
// scheduler records anything, and returns that tick's events (a fresh
// slice owned by the caller). done is true when the run is over.
func (s *Sim) Step() (events []sched.Event, done bool, err error) {
	for len(s.out) == 0 && !s.done {
		s.advance()
	}
	return s.take(), s.done, s.err
}

// take hands the collected events to the caller.
func (s *Sim) take() []sched.Event {
	out := s.out
	s.out = nil
	return out
}

// RunUntil advances the clock until Now() >= t (nanoseconds) or the run is
// over, and returns the events recorded on the way.
func (s *Sim) RunUntil(t uint64) ([]sched.Event, error) {
	for !s.done && s.Now() < t {
		s.advance()
	}
	return s.take(), s.err
}

// Run runs to the end and returns every event.
func (s *Sim) Run() ([]sched.Event, error) {
	for !s.done {
		s.advance()
	}
	return s.take(), s.err
}

// ProcName names a region process slot ("" if unknown).
func (s *Sim) ProcName(slot uint16) string {
	if int(slot) < len(s.procs) {
		return s.procs[slot].name
	}
	return ""
}

// CoName names a coroutine id ("" if unknown).
func (s *Sim) CoName(id uint32) string {
	if c := s.cos[id]; c != nil {
		return c.name
	}
	return s.kcos[id]
}

// Snapshot returns the full scheduler state: the decoded region with
// process and coroutine names filled in, and one HartSnap per simulated
// hart. If the region fails to decode (a bug), the run ends with that error
// and an empty snapshot is returned.
func (s *Sim) Snapshot() sched.Snapshot {
	snap, err := s.reg.Snapshot()
	if err != nil {
		s.fail(fmt.Errorf("sandbox: region inconsistent: %w", err))
		return sched.Snapshot{}
	}
	for i := range snap.Procs {
		snap.Procs[i].Name = s.ProcName(snap.Procs[i].ID)
	}
	for i := range snap.Cos {
		snap.Cos[i].Name = s.CoName(snap.Cos[i].ID)
	}
	snap.Harts = snap.Harts[:len(s.harts)]
	return *snap
}

// Region gives read access to the live region (for raw dumps: Bytes).
func (s *Sim) Region() *sched.Region { return s.reg }

func (s *Sim) fail(err error) {
	if s.err == nil {
		s.err = err
	}
	s.done = true
}
