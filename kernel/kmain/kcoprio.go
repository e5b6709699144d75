//go:build copslab

package main

import (
	"fmt"
	"strconv"
	"time"

	"copslab/kernel/proc"
	"copslab/sched"
	"copslab/sched/executor"
)

// kcoprioMode is `-append "kcoprio [-lines N]"`: the paper's priority
// experiment on the serial port, in the kernel. Eight kernel coroutines,
// one per priority, are spawned worst first at the same instant into the
// kernel's own Local; each prints N lines to the UART, yielding after
// each, and the kernel's executor — the Decide that also places processes
// — runs them. A line can only be followed by lines of an equal or better
// priority, so the output is ordered by priority. Then one table row per
// priority: the position of its first and last line and the latency from
// the spawn to its first line in µs of mtime, the columns of the user
// program coprio:
//
//	kcoprio: prio 0 line 1
//	…
//	kcoprio: prio first last latency_us
//	kcoprio:    0     1    3         5
//	…
//	kcoprio: order follows priority: ok
//
// Powers off with 1 if a line came out of priority order.
func kcoprioMode(m *machine, args []string) int {
	lines := 3
	if len(args) == 2 && args[0] == "-lines" {
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 || n > 1000 {
			fmt.Printf("copslab: kcoprio: -lines %q: want 1..1000\n", args[1])
			return 1
		}
		lines = n
	} else if len(args) != 0 {
		fmt.Println("copslab: kcoprio: usage: kcoprio [-lines N]")
		return 1
	}
	if kexec == nil {
		fmt.Println("copslab: kcoprio: no executor (too little RAM for the frame pool)")
		return 1
	}
	type row struct {
		first, last int
		latency     time.Duration
	}
	var rows [sched.NumPrio]row
	var order []int
	t0 := mtimeNow()
	for p := sched.NumPrio - 1; p >= 0; p-- {
		printed := 0
		_, err := kexec.Spawn(sched.KindKernelSyscall, uint8(p), func(uint64, uint32) executor.Action {
			printed++
			order = append(order, p)
			if printed == 1 {
				rows[p].first, rows[p].latency = len(order), mtimeNow()-t0
			}
			rows[p].last = len(order)
			fmt.Printf("kcoprio: prio %d line %d\n", p, printed)
			if printed == lines {
				return executor.Exit
			}
			return executor.Yield
		})
		if err != nil {
			fmt.Println("copslab: kcoprio:", err)
			return 1
		}
	}
	for kexec.Decide(0, 0, executor.Wakeup).Outcome == executor.RunKernel {
		proc.DrainCOPS()
	}
	proc.DrainCOPS()
	fmt.Println("kcoprio: prio first last latency_us")
	for p, r := range rows {
		fmt.Printf("kcoprio: %4d %5d %4d %9d\n", p, r.first, r.last, r.latency.Microseconds())
	}
	for i, p := range order {
		if p != i/lines {
			fmt.Printf("kcoprio: line %d is of priority %d, want %d\n", i+1, p, i/lines)
			return 1
		}
	}
	fmt.Println("kcoprio: order follows priority: ok")
	return 0
}
