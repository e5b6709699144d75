//go:build copslab

package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"sort"
	"time"

	"copslab/kernel/proc"
	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
)

// User processes. The run loop enters U-mode through the runtime layer
// (rtUserEnter returns at the process's next trap), then handles the
// trap here in ordinary Go: system calls and page faults go to
// kernel/proc; an interrupt (the timer tick, console input) just yields
// to other goroutines and re-enters.

// nextPID numbers processes.
var nextPID = 1

// program finds the executable called name: an embedded Go program
// (make kernel PROGS=...) or a built-in test program (kernel/uprog).
func program(name string) ([]byte, bool) {
	if b, ok := embeddedProgs[name]; ok {
		return []byte(b), true
	}
	if p, ok := uprog.Lookup(name); ok {
		return p.ELF, true
	}
	return nil, false
}

// programNames lists every program, sorted (the kernel's /bin).
func programNames() []string {
	seen := map[string]bool{}
	for name := range embeddedProgs {
		seen[name] = true
	}
	for _, name := range uprog.Names() {
		seen[name] = true
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// spawn creates a process for program name with the environment env.
func spawn(m *machine, name string, args, env []string) (*proc.Proc, error) {
	img, ok := program(name)
	if !ok {
		return nil, fmt.Errorf("no program %q (built in: %v; embedded: %d)", name, uprog.Names(), len(embeddedProgs))
	}
	if m.frames == nil {
		return nil, fmt.Errorf("no frame pool")
	}
	p, err := proc.NewEnv(newPID(), name, img, args, env, userPhys, m.frames)
	if err != nil {
		return nil, err
	}
	sys := system(m)
	sys.Setup(p)
	sys.Add(p)
	return p, nil
}

// newPID numbers processes and (after a process's first) threads: one
// counter, so every id is unique for the kernel's lifetime.
func newPID() int {
	pid := nextPID
	nextPID++
	return pid
}

// procTable is the process table (clone, execve, wait, kill).
var procTable *proc.System

func system(m *machine) *proc.System {
	if procTable == nil {
		procTable = &proc.System{Phys: userPhys, Frames: m.frames, Program: program, NewPID: newPID, Names: programNames,
			Reserve: m.frames.Total() / 16, // page faults of running processes before new ones (memlimits.go)
			Setup: func(p *proc.Proc) {
				if p.Space != nil {
					p.Space.MaxPages = m.procLimit() // one memory hog cannot starve the rest
				}
			},
			Ended: func(p *proc.Proc) { ended(m, p) }}
	}
	return procTable
}

// badSpaces counts the processes whose address space failed its check
// when they ended.
var badSpaces int

// ended sees every process as it ends, before its memory goes back: a
// child the kernel ended is reported on the console (the caller of
// runProcs reports the processes it started), and every address space
// is checked.
func ended(m *machine, p *proc.Proc) {
	if p.Parent != nil && p.Killed != "" {
		fmt.Printf("copslab: pid %d (%s) killed: %s\n", p.PID, p.Name, p.Killed)
	}
	pool := m.frames
	if p.Space != nil {
		if err := p.Space.Check(pool.Base(), pool.Base()+uint64(pool.Total())*4096); err != nil {
			fmt.Printf("copslab: pid %d (%s): address space check failed: %v\n", p.PID, p.Name, err)
			badSpaces++
		}
	}
}

// kenv is the machine side of system calls (proc.Env).
type kenv struct{ boot time.Time }

func (kenv) Write(b []byte) (int, error)      { return os.Stdout.Write(b) }
func (e kenv) Now() int64                     { return userMonotonic(e.boot) }
func (kenv) Wall() int64                      { return userRealtime() }
func (kenv) Random(b []byte)                  { rand.Read(b) }
func (kenv) ReadConsole(b []byte) (int, bool) { return input.read(b) }

var env = kenv{boot: time.Now()}

// runMode is `-append "run [-novdso] [-t DURATION] [VAR=value...] NAME
// ARGS..."`: run one program, report how it ended and whether its
// frames came back, power off with its status. -t kills the program
// after DURATION; the assignments are set in its environment.
func runMode(m *machine, args []string) int {
	if len(args) >= 1 && args[0] == "-novdso" { // for comparisons: time.Now traps again
		proc.SetVDSO(nil)
		args = args[1:]
	}
	var limit time.Duration
	if len(args) >= 2 && args[0] == "-t" {
		d, err := time.ParseDuration(args[1])
		if err != nil {
			fmt.Printf("copslab: run: -t %q: %v\n", args[1], err)
			return 1
		}
		limit, args = d, args[2:]
	}
	if _, cmd := uabi.Assignments(args); len(cmd) == 0 {
		fmt.Printf("copslab: run: name a program (built in: %v)\n", uprog.Names())
		return 1
	}
	status, ok := runOnce(m, args, limit, true)
	if !ok {
		return 1
	}
	return status
}

// runOnce runs one program to its end and releases it; ok is false if
// it could not start or the kernel did not get every frame back. With
// verbose, it reports how the program ended and the frame counts. line
// is the command as typed: [VAR=value...] NAME ARGS... — the
// assignments go into the program's environment on top of StartEnv.
func runOnce(m *machine, line []string, limit time.Duration, verbose bool) (status int, ok bool) {
	return runOnceWith(m, line, verbose, func(p *proc.Proc) { runProc(p, limit) })
}

// runOnceWith is runOnce with the loop that runs the process given (the
// gdb stub's, gdbstub.go).
func runOnceWith(m *machine, line []string, verbose bool, run func(*proc.Proc)) (status int, ok bool) {
	vars, cmd := uabi.Assignments(line)
	if len(cmd) == 0 {
		fmt.Println("copslab: run: name a program")
		return 1, false
	}
	name, args := cmd[0], cmd[1:]
	if m.frames == nil {
		fmt.Printf("copslab: run %s: no frame pool (too little RAM)\n", name)
		return 1, false
	}
	free0 := m.frames.FreeCount()
	p, err := spawn(m, name, args, proc.Environ(vars))
	if err != nil {
		fmt.Printf("copslab: run %s: %v\n", name, err)
		return 1, false
	}
	pages := p.Space.Pages()
	bad0 := badSpaces
	run(p)
	if badSpaces != bad0 {
		fmt.Printf("copslab: run %s: address space check failed\n", name)
		return 1, false
	}
	if verbose || p.Killed != "" {
		report(p)
	}
	if err := p.ReleaseErr; err != nil {
		fmt.Printf("copslab: run %s: releasing memory: %v\n", p.Name, err)
		return 1, false
	}
	free1 := m.frames.FreeCount()
	if verbose {
		fmt.Printf("copslab: run %s: frames free %d before, %d after (%d pages at start)\n", p.Name, free0, free1, pages)
	}
	if free1 != free0 {
		fmt.Printf("copslab: run %s: LEAKED %d frames\n", p.Name, free0-free1)
		return p.Status, false
	}
	return p.Status, true
}

// benchOf is the benchmark description of a built-in program that
// exited normally with its measurement (nil otherwise).
func benchOf(p *proc.Proc) *uprog.Bench {
	prog, ok := uprog.Lookup(p.Name)
	if !ok || prog.Bench == nil || p.Killed != "" || p.Status != 0 || len(p.Threads) == 0 || p.Entries == 0 {
		return nil
	}
	return prog.Bench
}

// report prints how p ended.
func report(p *proc.Proc) {
	if p.Killed != "" {
		fmt.Printf("copslab: run %s: killed: %s at pc=%#x addr=%#x; status %d; %d interrupts while in user mode\n",
			p.Name, p.Killed, p.FaultPC, p.FaultAddr, p.Status, p.Interrupts)
	} else {
		fmt.Printf("copslab: run %s: exited with status %d after %d system calls\n", p.Name, p.Status, p.Syscalls)
	}
	if p.Async+p.Delivered > 0 {
		fmt.Printf("copslab: run %s: uintr: %d async calls, %d interrupts delivered; executor sleeps with calls in flight ended by the interrupt %d, by a signal %d, by anything else %d; process placed %d times\n",
			p.Name, p.Async, p.Delivered, p.ExecWakes, p.SignalWakes, p.OtherWakes, p.Placed)
	}
	if p.Signals+p.Faults > 0 {
		fmt.Printf("copslab: run %s: %d signals sent, %d faults delivered as signals\n", p.Name, p.Signals, p.Faults)
	}
	for nr, n := range p.Unknown {
		fmt.Printf("copslab: run %s: unknown system call %d: %d times\n", p.Name, nr, n)
	}
	if b := benchOf(p); b != nil {
		tf := &p.Threads[0].TF
		n := uint64(b.Calls * b.Per)
		line := fmt.Sprintf(b.Format, b.Calls, tf.X[proc.RegA1]/n, tf.X[proc.RegA1+1]/n, p.PID)
		fmt.Printf("copslab: %s%s\n", p.Name, line)
		fmt.Printf("copslab: %s: of which %d instructions per entry from rtUserEnter until it returns (mret, user code, vector, bmUserTrap, mret; %d entries)\n",
			p.Name, p.EnterInstret/uint64(p.Entries), p.Entries)
	}
}
