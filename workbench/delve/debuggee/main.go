// Command debuggee is the sandbox as a small program for Delve: it runs one
// scenario with the real sched/ code, one scheduling decision (one
// sandbox.Sim.Step) at a time, and keeps in package variables what the
// debugger needs to find its way around. The workbench builds it with
// -gcflags=all=-N -l (no optimisation, no inlining, so every line of
// sched/ can be stepped and every local read) and starts it under
// `dlv exec --headless`; it is not meant to be run by hand.
//
//	debuggee SCENARIO      (a built-in name or a YAML file)
//
// The variables and the arrived function below are the contract with
// package copslab/workbench/delve (names.go there lists them); the loop is
// kept trivial so that stepping out of sched/ lands somewhere readable.
package main

import (
	"fmt"
	"os"
	"unsafe"

	"copslab/sched/sandbox"
)

// Read by the debugger.
var (
	regionAddr uintptr // address of the scheduler region (sched.Region)
	regionLen  int     // its size in bytes
	decision   int     // number of the decision being made, from 1
	clock      uint64  // the sandbox clock (ns) when it started
	nextSeq    uint64  // sequence number of the first event it records
)

// Written by the debugger to stop at a later decision: arrived is called at
// the start of the first decision whose number is at least stopDecision,
// whose start time is at least stopTime, or whose first event has sequence
// number at least stopEvent-1 (0: not armed). All are cleared when it
// fires.
var (
	stopDecision int
	stopTime     uint64
	stopEvent    uint64
)

// arrived is where the debugger's breakpoint for "run to a decision" sits.
//
//go:noinline
func arrived() {}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: debuggee SCENARIO")
		os.Exit(2)
	}
	sc, err := load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "debuggee:", err)
		os.Exit(2)
	}
	sim, err := sandbox.New(sc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "debuggee:", err)
		os.Exit(2)
	}
	b := sim.Region().Bytes()
	regionAddr, regionLen = uintptr(unsafe.Pointer(&b[0])), len(b)
	for !sim.Done() {
		decision++
		clock = sim.Now()
		if armed() {
			stopDecision, stopTime, stopEvent = 0, 0, 0
			arrived()
		}
		if evs, _, _ := sim.Step(); len(evs) > 0 {
			nextSeq = evs[len(evs)-1].Seq + 1
		}
	}
	if err := sim.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "debuggee:", err)
		os.Exit(1)
	}
}

// armed reports whether the debugger asked to stop at this decision.
func armed() bool {
	return stopDecision != 0 && decision >= stopDecision ||
		stopTime != 0 && clock >= stopTime ||
		stopEvent != 0 && nextSeq+1 >= stopEvent
}

// load reads a scenario file, or else a built-in scenario of that name.
func load(arg string) (*sandbox.Scenario, error) {
	if st, err := os.Stat(arg); err == nil && !st.IsDir() {
		return sandbox.LoadScenario(arg)
	}
	return sandbox.Builtin(arg)
}
