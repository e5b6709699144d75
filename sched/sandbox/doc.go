// Package sandbox runs the COPS model on the host: a deterministic
// simulation, on a virtual clock, of harts, processes, threads and
// coroutines, driven by the real scheduler code of package sched over a
// real sched.Region.
//
// A Scenario (YAML, see scenario.go and the files in scenarios/) names
// processes and their coroutines with priorities and work: compute for N
// ticks, asynchronous I/O with a latency, sleep, yield, spawn. A process in
// "coroutines" mode is one kernel-scheduled context whose coroutines are
// fetched by priority; its asynchronous I/O completes through an emulated
// user interrupt (io-done → uintr-send → the handler wakes the coroutine,
// CauseUintr), each stage taking the virtual time the scenario's UintrCosts
// give it. A process in "threads" mode gets one kernel-scheduled
// context per coroutine (a thread), with blocking I/O woken by the kernel.
// A timer preempts the running context every Quantum ticks when another
// one of equal or better priority is waiting.
//
// Typical use:
//
//	sc, err := sandbox.Builtin("tiny")
//	sim, err := sandbox.New(sc)
//	for !sim.Done() {
//		events, _, err := sim.Step()
//		...
//	}
//	sum := sim.Summary()
//
// Times: scenarios count in ticks; everything the Sim returns (Now, event
// times, latencies) is in virtual nanoseconds, ticks × Scenario.TickNS, so
// sandbox traces and kernel traces share one unit.
package sandbox
