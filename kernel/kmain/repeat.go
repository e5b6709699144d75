//go:build copslab

package main

import (
	"fmt"
	"strconv"
)

// repeatMode is `-append "repeat N NAME ARGS..."`: run a program N times
// one after another and check that the frame pool's free count is back
// to its start value after all of them (no leaked frames after
// 100 process runs). Powers off with 0 only if every run exited with 0
// and nothing leaked.
func repeatMode(m *machine, args []string) int {
	if len(args) < 2 {
		fmt.Println("copslab: repeat: usage: repeat N NAME ARGS...")
		return 1
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		fmt.Printf("copslab: repeat: bad count %q\n", args[0])
		return 1
	}
	if m.frames == nil {
		fmt.Println("copslab: no frame pool (too little RAM) for user processes")
		return 1
	}
	free0 := m.frames.FreeCount()
	start := env.Now()
	statuses := map[int]int{}
	for i := 0; i < n; i++ {
		status, ok := runOnce(m, args[1:], 0, false)
		if !ok {
			fmt.Printf("copslab: repeat: run %d of %s failed\n", i+1, args[1])
			return 1
		}
		statuses[status]++
	}
	free1 := m.frames.FreeCount()
	elapsed := float64(env.Now()-start) / 1e6
	fmt.Printf("copslab: repeat: %d runs of %s in %.0f ms (%.1f ms each), exit statuses %v, frames free %d before, %d after\n",
		n, args[1], elapsed, elapsed/float64(n), statuses, free0, free1)
	if free1 != free0 || statuses[0] != n {
		return 1
	}
	return 0
}
