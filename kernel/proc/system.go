package proc

import (
	"sort"
	"strings"
)

// System is the process table: what a process needs to create, find,
// wait for and signal others. The kernel's run loop owns the processes
// it started; processes made by clone are handed to it through Born.
type System struct {
	Phys   Phys
	Frames Frames
	// Program finds an executable by name (the embedded set).
	Program func(name string) ([]byte, bool)
	// Names lists the programs (/bin).
	Names func() []string
	// NewPID returns a fresh id for a process or a thread (one counter).
	NewPID func() int
	// Setup applies the kernel's per-process settings (limits).
	Setup func(*Proc)
	// Ended, if set, sees every process as it ends (Exit), before its
	// memory goes back.
	Ended func(*Proc)

	// Reserve is the number of frames fork, vfork and execve leave free
	// for the page faults of processes already running: when fewer would
	// remain they fail with ENOMEM, so a fork bomb stops itself instead
	// of getting an innocent process killed for want of a frame.
	Reserve int

	procs map[int]*Proc
	tmpfs *tmpFS // /tmp (tmpfile.go), made on first use
	born  []*Proc
	sched *Sched
}

// Sched is the scheduler of every process in the table.
func (s *System) Sched() *Sched {
	if s.sched == nil {
		s.sched = &Sched{}
	}
	return s.sched
}

// Add enters p in the table and moves it to the table's scheduler
// (a new process: its threads are all Ready).
func (s *System) Add(p *Proc) {
	if s.procs == nil {
		s.procs = map[int]*Proc{}
	}
	p.sys = s
	s.procs[p.PID] = p
	if ss := s.Sched(); p.sched != ss {
		p.sched = ss
		if p.nReady > 0 { // (an entry left in the old ring is never used)
			ss.ring.push(p)
		}
	}
}

// Remove drops p from the table.
func (s *System) Remove(p *Proc) { delete(s.procs, p.PID) }

// Born returns (and forgets) the processes created since the last call.
func (s *System) Born() []*Proc {
	b := s.born
	s.born = nil
	return b
}

// Procs lists the live and zombie processes by pid.
func (s *System) Procs() []*Proc {
	var ps []*Proc
	for _, p := range s.procs {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].PID < ps[j].PID })
	return ps
}

// Lookup finds the process with pid.
func (s *System) Lookup(pid int) *Proc { return s.procs[pid] }

// programName maps an execve path to an embedded program: "/bin/NAME",
// "./NAME" and "NAME" all name NAME.
func programName(path string) (string, bool) {
	name := strings.TrimPrefix(path, "/bin/")
	name = strings.TrimPrefix(name, "./")
	if name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// short reports whether taking need more frames would leave fewer than
// Reserve free.
func (s *System) short(need int) bool {
	return s.Reserve > 0 && s.Frames != nil && s.Frames.FreeCount()-need < s.Reserve
}
