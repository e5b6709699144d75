//go:build copslab

package main

import (
	"fmt"
	"time"
)

// eachMode is `-append "each [-t DUR] NAME NAME..."`: runs every named
// program once, one after another, without arguments (the sweep of Go's
// own test programs boots one kernel for a batch of them). Before each
// it prints `copslab: each: start NAME`, after it the run's report;
// -t kills a program after DUR. Powers off with 0 only if every program
// exited with 0 and gave every frame back, then prints
// `copslab: each: N programs, P exited with 0`.
func eachMode(m *machine, args []string) int {
	var limit time.Duration
	if len(args) >= 2 && args[0] == "-t" {
		d, err := time.ParseDuration(args[1])
		if err != nil {
			fmt.Printf("copslab: each: -t %q: %v\n", args[1], err)
			return 1
		}
		limit, args = d, args[2:]
	}
	passed := 0
	for _, name := range args {
		fmt.Printf("copslab: each: start %s\n", name)
		if status, ok := runOnce(m, []string{name}, limit, true); ok && status == 0 {
			passed++
		}
	}
	fmt.Printf("copslab: each: %d programs, %d exited with 0\n", len(args), passed)
	if passed != len(args) {
		return 1
	}
	return 0
}
