// Command coyield measures a user coroutine switch on the copslab kernel
// — one coroutine yields, the scheduler's code in the vDSO puts it back
// in its queue of the process's Local and fetches the next one, the
// executor resumes that one — in retired instructions (rdinstret), for
// both kinds of coroutine of package cops, and checks that an executor
// with nothing ready sleeps in the kernel until a Post from another
// thread wakes it:
//
//	coyield: Local mapped by the kernel at 0x3fffffa000; scheduler code in the vDSO
//	coyield: coroutine switch: 187 instructions (step functions), 574 (iter.Pull) (2000 switches each)
//	coyield: priority change: 268 instructions (SetPrio of a ready coroutine, no system call)
//	coyield: woken by Post after 1 sleeps: ok
//
// Two coroutines at one priority yield to each other; the counters are
// read around the executor's whole run, so a switch includes the
// executor's loop, the Local's lock and the event records. Exits 1 if
// anything fails.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"copslab/kernel/user/cops"
	"copslab/kernel/user/internal/hpm"
)

func main() {
	n := flag.Int("n", 1000, "yields per coroutine (two coroutines: 2n switches)")
	flag.Parse()
	ex := newEx()
	fmt.Printf("coyield: %s\n", ex.Source())
	if err := ex.Run(); err != nil { // nothing spawned: gives the kernel's Local back for the next executor
		fail(err)
	}
	step := measure(*n, func(ex *cops.Executor, left *int) error {
		_, err := ex.SpawnStep(3, func(*cops.Co) cops.Action {
			if *left == 0 {
				return cops.Done
			}
			*left--
			return cops.Yield
		})
		return err
	})
	pull := measure(*n, func(ex *cops.Executor, left *int) error {
		_, err := ex.Spawn(3, func(c *cops.Co) {
			for ; *left > 0; *left-- {
				c.Yield()
			}
		})
		return err
	})
	fmt.Printf("coyield: coroutine switch: %d instructions (step functions), %d (iter.Pull) (%d switches each)\n", step, pull, 2**n)
	fmt.Printf("coyield: priority change: %d instructions (SetPrio of a ready coroutine, no system call)\n", setPrioCost(*n))
	sleeps, err := postWakes()
	if err != nil {
		fail(err)
	}
	fmt.Printf("coyield: woken by Post after %d sleeps: ok\n", sleeps)
}

func newEx() *cops.Executor {
	ex, err := cops.New()
	if err != nil {
		fail(err)
	}
	return ex
}

func fail(err error) {
	fmt.Println("coyield: FAIL:", err)
	os.Exit(1)
}

// measure runs two coroutines made by spawn, each yielding n times, and
// returns the instructions per switch. The cost of an empty run (spawn,
// first fetch, exit) is taken off.
func measure(n int, spawn func(ex *cops.Executor, left *int) error) uint64 {
	run := func(n int) uint64 {
		ex := newEx()
		left := [2]int{n, n}
		for i := range left {
			if err := spawn(ex, &left[i]); err != nil {
				fail(err)
			}
		}
		i0 := hpm.Instret()
		if err := ex.Run(); err != nil {
			fail(err)
		}
		return hpm.Instret() - i0
	}
	base := run(0)
	return (run(n) - base) / uint64(2*n)
}

// setPrioCost returns the instructions of one SetPrio of a ready
// coroutine (moved between two queues), made by a running one.
func setPrioCost(n int) uint64 {
	ex := newEx()
	other, err := ex.SpawnStep(5, func(*cops.Co) cops.Action { return cops.Done })
	if err != nil {
		fail(err)
	}
	var cost uint64
	ex.Spawn(0, func(c *cops.Co) {
		i0 := hpm.Instret()
		for i := range n {
			if err := other.SetPrio(uint8(4 + i%2)); err != nil {
				fail(err)
			}
		}
		cost = (hpm.Instret() - i0) / uint64(n)
	})
	if err := ex.Run(); err != nil {
		fail(err)
	}
	return cost
}

// postWakes: a coroutine awaits an event that another goroutine posts
// only after the executor has gone to sleep; it returns how often the
// executor slept.
func postWakes() (uint64, error) {
	ex := newEx()
	ev := ex.NewEvent()
	woken := false
	ex.Spawn(0, func(c *cops.Co) {
		c.Await(ev)
		woken = true
	})
	go func() {
		for ex.Sleeps() == 0 {
			time.Sleep(time.Millisecond)
		}
		ev.Post()
	}()
	if err := ex.Run(); err != nil {
		return 0, err
	}
	if !woken || ex.Sleeps() == 0 {
		return 0, fmt.Errorf("woken %v after %d sleeps", woken, ex.Sleeps())
	}
	return ex.Sleeps(), nil
}
