//go:build copslab

package main

import (
	"fmt"
	"strings"
	"time"

	"copslab/kernel/proc"
)

// runAllMode is `-append "runall [-t DURATION] [-first] NAME NAME..."`:
// start one process per name and run them side by side (runProcs); with
// -first the others are killed once the first named has ended; a name may
// carry arguments after commas (`copsplace,-prio,2` runs copsplace with
// -prio 2);
// report each as it ended and check that every frame came back. Powers
// off with the first named program's status with -first, else the first
// non-zero status in argument order (0 if all
// exited with 0), or 1 if frames leaked.
func runAllMode(m *machine, args []string) int {
	var limit time.Duration
	if len(args) >= 2 && args[0] == "-t" {
		d, err := time.ParseDuration(args[1])
		if err != nil {
			fmt.Printf("copslab: runall: -t %q: %v\n", args[1], err)
			return 1
		}
		limit, args = d, args[2:]
	}
	first := len(args) > 0 && args[0] == "-first"
	if first {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Println("copslab: runall: name programs")
		return 1
	}
	if m.frames == nil {
		fmt.Println("copslab: no frame pool (too little RAM) for user processes")
		return 1
	}
	free0 := m.frames.FreeCount()
	var ps []*proc.Proc
	for _, name := range args {
		words := strings.Split(name, ",")
		p, err := spawn(m, words[0], words[1:], proc.StartEnv)
		if err != nil {
			fmt.Printf("copslab: runall %s: %v\n", words[0], err)
			for _, q := range ps {
				q.Kill("runall: another program did not start")
			}
			return 1
		}
		ps = append(ps, p)
	}
	if first {
		runUntil(ps, limit, ps[0])
	} else {
		runProcs(ps, limit)
	}
	reportEcho()
	status := 0
	for _, p := range ps {
		report(p)
		if err := p.ReleaseErr; err != nil {
			fmt.Printf("copslab: runall %s: releasing memory: %v\n", p.Name, err)
			return 1
		}
		if status == 0 && (!first || p == ps[0]) {
			status = p.Status
		}
	}
	free1 := m.frames.FreeCount()
	fmt.Printf("copslab: runall: %d processes, frames free %d before, %d after\n", len(ps), free0, free1)
	if free1 != free0 {
		return 1
	}
	return status
}
