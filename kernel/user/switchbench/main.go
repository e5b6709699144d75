// Command switchbench measures what a thread switch and a process switch
// cost, in cycles and retired instructions (rdcycle, rdinstret), by
// bouncing a token between two parties N times:
//
//	switchbench: thread switch: 1234 cycles 567 instructions (2000 switches)
//	switchbench: process switch: 2345 cycles 890 instructions (2000 switches)
//
// and the same as BENCH lines for the experiment runner (workbench/bench):
//
//	BENCH switch kind=thread instructions=567 cycles=1234 switches=2000
//
// Threads: two goroutines locked to their own OS threads pass the token over
// channels, so every hand-over parks one thread in futex and wakes the
// other. Processes: the program starts a copy of itself ("switchbench
// child") and the two pass one byte over a pair of blocking pipes. Each
// round trip is two switches; the counters are read around the rounds
// (not the set-up: starting the child, a first round), so the numbers
// include the system calls and the scheduler on the way. On
// a single hart that is exactly the switch path; on several harts (or
// under qemu-user) they are an upper bound with idle time mixed in.
package main

import (
	"flag"
	"fmt"
	"os"

	"copslab/kernel/user/internal/benchline"
	"copslab/kernel/user/internal/hpm"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		echoChild()
		return
	}
	rounds := flag.Int("n", 1000, "round trips (2 switches each)")
	flag.Parse()
	report("thread", *rounds, threadPingPong)
	report("process", *rounds, processPingPong)
}

// report runs f(rounds, start) and prints per-switch costs: the counters
// are read when f calls start (after its set-up: a child process started,
// one warm-up round) and when f returns.
func report(what string, rounds int, f func(rounds int, start func()) error) {
	var c0, i0 uint64
	start := func() { c0, i0 = hpm.Cycles(), hpm.Instret() }
	if err := f(rounds, start); err != nil {
		fmt.Printf("switchbench: %s: FAIL %v\n", what, err)
		os.Exit(1)
	}
	c1, i1 := hpm.Cycles(), hpm.Instret()
	n := uint64(2 * rounds)
	fmt.Printf("switchbench: %s switch: %d cycles %d instructions (%d switches)\n", what, (c1-c0)/n, (i1-i0)/n, n)
	benchline.Emit("switch", "kind", what, "instructions", (i1-i0)/n, "cycles", (c1-c0)/n, "switches", n)
}
