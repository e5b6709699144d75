//go:build copslab

package main

import (
	"fmt"
	"time"

	"copslab/kernel/proc"
)

// runAllMode is `-append "runall [-t DURATION] NAME NAME..."`: start one
// process per name (no arguments) and run them side by side (runProcs);
// report each as it ended and check that every frame came back. Powers
// off with the first non-zero status in argument order (0 if all
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
		p, err := spawn(m, name, nil, proc.StartEnv)
		if err != nil {
			fmt.Printf("copslab: runall %s: %v\n", name, err)
			for _, q := range ps {
				q.Kill("runall: another program did not start")
			}
			return 1
		}
		ps = append(ps, p)
	}
	runProcs(ps, limit)
	status := 0
	for _, p := range ps {
		report(p)
		if err := p.ReleaseErr; err != nil {
			fmt.Printf("copslab: runall %s: releasing memory: %v\n", p.Name, err)
			return 1
		}
		if status == 0 {
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
