//go:build copslab

package main

import (
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"copslab/gdbstub/server"
	"copslab/kernel/kgdb"
	"copslab/kernel/proc"
	"copslab/sched"
)

// gdbstubMode is `-append "gdbstub NAME ARGS..."`: run user program NAME
// under the kernel's own gdb stub (kernel/kgdb over gdbstub/server),
// which talks on the board's second UART — for boards without JTAG. The
// program stops before its first instruction until gdb continues it;
// the machine powers off with its status once it has ended.
func gdbstubMode(m *machine, args []string) int {
	if kernelStub {
		fmt.Println("copslab: gdbstub: the kernel's own stub (kgdb=) has the second UART")
		return 1
	}
	line := debugUART()
	if line == nil {
		fmt.Println("copslab: gdbstub: this board has no second UART (sifive_u and rocket have one)")
		return 1
	}
	if len(args) == 0 {
		fmt.Println("copslab: gdbstub: name a program")
		return 1
	}
	status, ok := runOnceWith(m, args, true, func(p *proc.Proc) {
		stub := kgdb.New(procTarget{p})
		fmt.Printf("copslab: gdbstub: %s (pid %d) stopped at %#x; gdb on the second UART\n", p.Name, p.PID, p.Threads[0].TF.PC)
		go func() {
			err := server.Serve(line, stub, server.Options{})
			fmt.Printf("copslab: gdbstub: session ended (%v); %s runs on\n", err, p.Name)
			stub.Detach()
		}()
		debugLoop(p, stub)
		stub.Report(kgdb.EndStop(p.Status, p.Killed != ""))
		// Give the session's goroutine time to send the exit reply (and
		// gdb to detach) before the machine powers off.
		select {
		case <-stub.Gone():
		case <-time.After(time.Second):
		}
	})
	if !ok {
		return 1
	}
	return status
}

// debugLoop runs the threads through the scheduling seam as runProcs
// does, but the stub decides when:
// p starts stopped, gdb's breakpoints stop it, a step stops the stepping
// thread at its next instruction (the step's breakpoints are in memory
// only while that thread runs: Enter/Leave), and gdb's ^C stops it at the
// next interrupt (the 100 Hz tick at the latest).
func debugLoop(p *proc.Proc, stub *kgdb.Stub) {
	stub.WaitRun()
	s := procTable.Sched()
	s.Env = env
	for !p.Exited {
		consoleArrived()
		if input.arrived.Swap(false) {
			s.WakeInput()
		}
		now := env.Now()
		d := s.Next(now)
		t, until := d.Thread, d.Until
		if t == nil {
			if until == 0 || until-now > int64(time.Millisecond) {
				until = now + int64(time.Millisecond)
			}
			time.Sleep(time.Duration(until - now))
			if stub.Interrupted() {
				stub.Report(kgdb.InterruptStop(p.Threads[0].TID))
				stub.WaitRun()
			}
			continue
		}
		tp := t.Proc() // p, or a child it forked (which runs but is not debugged)
		if tp.DeliverPending(t); tp.Exited {
			continue
		}
		if tp.DeliverUintr(t); tp.Exited {
			continue
		}
		stub.Enter(t.TID)
		rtUserEnter(unsafe.Pointer(&t.TF))
		stepped := stub.Leave(t.TF.PC) && t.TF.Cause == proc.CauseBreakpoint
		switch {
		case tp == p && (stepped || t.TF.Cause == proc.CauseBreakpoint && stub.Breakpoint(t.TF.PC)):
			stub.Report(stub.StopAt(t.TID))
			stub.WaitRun()
		case t.TF.Cause&proc.CauseInterrupt != 0:
			s.Yield(t, sched.CausePreempt)
			runtime.Gosched() // the stub's goroutine reads the UART
			if stub.Interrupted() {
				stub.Report(kgdb.InterruptStop(t.TID))
				stub.WaitRun()
			}
		default:
			tp.Trap(t, env)
		}
	}
}

// procTarget is kgdb's view of a process.
type procTarget struct{ p *proc.Proc }

func (t procTarget) Threads() []kgdb.Thread {
	var out []kgdb.Thread
	for _, th := range t.p.Threads {
		out = append(out, kgdb.Thread{TID: th.TID, X: &th.TF.X, PC: &th.TF.PC, F: &th.TF.F, FCSR: &th.TF.FCSR,
			State: threadState(th)})
	}
	return out
}

// threadState names a thread's scheduling state for gdb's info threads:
// runnable, or what it waits for (futex, sleep, poll, input, pipe,
// child, vfork), or exited.
func threadState(th *proc.Thread) string {
	switch th.State() {
	case sched.Ready, sched.Running:
		return "runnable"
	case sched.Blocked:
		return th.Waiting().String()
	}
	return "exited"
}

// Read and Poke fail once the process has ended (its memory went back).
func (t procTarget) Read(addr uint64, b []byte) error {
	if t.p.Space == nil {
		return errEnded
	}
	return t.p.Space.CopyIn(b, addr)
}

func (t procTarget) Poke(addr uint64, b []byte) error {
	if t.p.Space == nil {
		return errEnded
	}
	return t.p.Space.Poke(addr, b)
}

var errEnded = errors.New("the process has ended")

func (t procTarget) Kill() { t.p.Kill("killed by gdb") }

// uartLine is a byte stream over a polled UART (the gdb stub's line):
// Read waits for at least one byte, sleeping 1 ms between polls so the
// debugged program runs meanwhile.
type uartLine struct {
	u interface {
		Tx(c byte)
		Rx() (byte, bool)
	}
}

func (l uartLine) Read(b []byte) (int, error) {
	for {
		n := 0
		for n < len(b) {
			c, ok := l.u.Rx()
			if !ok {
				break
			}
			b[n] = c
			n++
		}
		if n > 0 {
			return n, nil
		}
		time.Sleep(time.Millisecond)
	}
}

func (l uartLine) Write(b []byte) (int, error) {
	for _, c := range b {
		l.u.Tx(c)
	}
	return len(b), nil
}
