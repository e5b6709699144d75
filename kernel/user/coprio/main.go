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
	"runtime"
	"sync/atomic"
	"time"

	"copslab/kernel/user/cops"
	"copslab/sched"
)

var (
	lines  = flag.Int("lines", 3, "lines printed by each priority's coroutine")
	nburst = flag.Int("bursts", 20, "bursts of requests from another thread (0: none)")
	work   = flag.Int("work", 2000, "loop iterations of work per request in the bursts")
)

var sink uint64 // keeps the work loop from being optimised away

// busy does n iterations of arithmetic: the request's work.
func busy(n int) {
	x := sink
	for i := range n {
		x = x*6364136223846793005 + uint64(i)
	}
	sink = x
}

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
	if *nburst > 0 {
		if err := bursts(c, *nburst); err != nil {
			fmt.Println("coprio: FAIL:", err)
			os.Exit(1)
		}
	}
}

// bursts is the experiment with asynchronous arrivals: one worker per
// priority awaits requests; another thread (a goroutine on its own OS
// thread, the way an interrupt handler or a network poller would) fires
// a burst of one request per priority at once (cops.PostAll, listed
// worst first), n times, each when the last burst has been served; each
// request is -work iterations of computing. The poster waits until the
// executor sleeps in the kernel (every coroutine blocked), so each burst
// finds every worker waiting and wakes the executor once. It prints the mean latency from Post to the worker's
// wake-up per priority and how many bursts were served in exact priority
// order, and fails if a burst was served out of priority order.
func bursts(c *cops.Co, n int) error {
	ex := c.Executor()
	var (
		evs     [sched.NumPrio]*cops.Event
		posted  [sched.NumPrio]time.Time // by the poster before each Post
		total   [sched.NumPrio]time.Duration
		served  atomic.Int64
		order   []int // priorities in service order, all bursts
		spawned int
	)
	for p := sched.NumPrio - 1; p >= 0; p-- {
		evs[p] = ex.NewEvent()
		_, err := ex.Spawn(uint8(p), func(w *cops.Co) {
			for range n {
				w.Await(evs[p])
				total[p] += time.Since(posted[p])
				order = append(order, p)
				busy(*work)
				served.Add(1)
			}
		})
		if err != nil {
			return err
		}
		spawned++
	}
	finished := ex.NewEvent()
	sleeps := ex.Sleeps()
	go func() {
		runtime.LockOSThread()
		wait := func(k int) { // until k requests are served and every worker awaits again
			for served.Load() < int64(k) || !ex.Idle() {
				time.Sleep(100 * time.Microsecond)
			}
		}
		for b := range n {
			wait(spawned * b)
			now := time.Now()
			var burst []*cops.Event
			for p := sched.NumPrio - 1; p >= 0; p-- {
				posted[p] = now
				burst = append(burst, evs[p])
			}
			cops.PostAll(burst...)
		}
		wait(spawned * n)
		finished.Post()
	}()
	c.Await(finished)
	inOrder := 0
	for b := range n {
		ok := true
		for i, p := range order[b*spawned : (b+1)*spawned] {
			ok = ok && p == i
		}
		if ok {
			inOrder++
		}
	}
	fmt.Println("coprio: burst prio mean_latency_us")
	for p, t := range total {
		fmt.Printf("coprio: burst %4d %15d\n", p, (t / time.Duration(n)).Microseconds())
	}
	fmt.Printf("coprio: %d of %d bursts served in priority order; the executor slept %d times\n", inOrder, n, ex.Sleeps()-sleeps)
	if inOrder != n {
		return fmt.Errorf("%d of %d bursts out of priority order: %v", n-inOrder, n, order)
	}
	return nil
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
