// Command coprio is the paper's priority experiment on the serial port,
// in user space: coroutines at the eight priorities print to the console
// (the UART), and the order and latency of their lines follow priority.
//
// It runs in the paper's compatibility mode: cops.Main initialises the
// scheduler and runs main as the first coroutine (priority 0). main
// spawns one worker per priority, worst first, at the same instant; each
// worker prints -lines lines, yielding after each, so a line can only be
// followed by lines of an equal or better priority that became ready.
// Then main prints one table row per priority — the position of its first
// and last line in the output, and the latency from the spawn to its
// first line in microseconds of the machine's clock:
//
//	coprio: prio 3 line 1
//	…
//	coprio: prio first last latency_us
//	coprio:    0     1    3        41
//	…
//	coprio: order follows priority: ok
//
// Exits 1 (printing what went wrong) if a line came out of priority order
// or a worse priority's latency is below a better one's.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"copslab/kernel/user/cops"
	"copslab/sched"
)

var lines = flag.Int("lines", 3, "lines printed by each priority's coroutine")

func main() {
	flag.Parse()
	cops.Main(0, run)
}

type row struct {
	first, last int
	latency     time.Duration
}

func run(c *cops.Co) {
	var rows [sched.NumPrio]row
	var order []int // priority of every line, in output order
	done := 0
	start := time.Now()
	for p := sched.NumPrio - 1; p >= 0; p-- {
		_, err := c.Executor().Spawn(uint8(p), func(w *cops.Co) {
			for i := 1; i <= *lines; i++ {
				fmt.Printf("coprio: prio %d line %d\n", p, i)
				order = append(order, p)
				if i == 1 {
					rows[p].first, rows[p].latency = len(order), time.Since(start)
				}
				rows[p].last = len(order)
				w.Yield()
			}
			done++
		})
		if err != nil {
			fmt.Println("coprio: FAIL:", err)
			os.Exit(1)
		}
	}
	for done < sched.NumPrio { // main is the best coroutine: yielding keeps it first
		c.SetPrio(sched.NumPrio - 1)
		c.Yield()
	}
	fmt.Println("coprio: prio first last latency_us")
	for p, r := range rows {
		fmt.Printf("coprio: %4d %5d %4d %9d\n", p, r.first, r.last, r.latency.Microseconds())
	}
	if err := check(order, rows[:]); err != nil {
		fmt.Println("coprio: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("coprio: order follows priority: ok")
}

// check: the lines' priorities never get better, and latency never
// improves with a worse priority.
func check(order []int, rows []row) error {
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			return fmt.Errorf("line %d is of priority %d, after a line of priority %d", i+1, order[i], order[i-1])
		}
	}
	for p := 1; p < len(rows); p++ {
		if rows[p].latency < rows[p-1].latency {
			return fmt.Errorf("priority %d waited %v, priority %d only %v", p-1, rows[p-1].latency, p, rows[p].latency)
		}
	}
	return nil
}
