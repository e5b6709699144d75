package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
)

// A form serves every connection until its request pipe ends and returns
// when all are done. The forms differ only in what runs a connection:
//
//   - thread: one goroutine per connection locked to its own OS thread,
//     its pipes in blocking mode (os.File.Fd takes them off Go's poller),
//     so a connection waiting for its request is a thread blocked in the
//     kernel's read — the thread-per-connection server; every switch
//     between connections is a kernel thread switch. A connection's
//     priority is its thread's nice value (priority p: nice 5p−20, the
//     kernel's five nice values per priority).
//   - goroutine: one plain goroutine per connection — what a Go programmer
//     would write: a goroutine waiting for its request is parked on Go's
//     poller (the kernel's epoll watches pipes), a few threads serve all.
//     No priorities.
//   - coroutine: the paper's form — one user coroutine (package cops) per
//     connection at the connection's priority, all on one executor in
//     one thread, reading and writing with async calls completed by
//     user interrupts (async.go).
//   - coroutine-sync: the same coroutines with synchronous non-blocking
//     calls instead: an epoll sweep finds the requests (coroutine.go) —
//     what a coroutine server can do without async calls.
//
// thread and goroutine handle a connection with the same handle loop
// (blocking reads and writes); the coroutine forms with the same request
// and response (respond) and loops of their own.
type form func(cs []conn, work int) error

var forms = map[string]form{
	"thread":         func(cs []conn, work int) error { return perConn(cs, work, true) },
	"goroutine":      func(cs []conn, work int) error { return perConn(cs, work, false) },
	"coroutine":      asyncCoroutines,
	"coroutine-sync": func(cs []conn, work int) error { return coroutines(cs, work, pollEach) },
	// coroutine-sync-idle polls only when no connection is ready (fewer
	// probes, no prompt discovery of better-priority requests).
	"coroutine-sync-idle": func(cs []conn, work int) error { return coroutines(cs, work, pollIdle) },
}

// prioForms are the forms that give connections priorities (-prios).
var prioForms = map[string]bool{"thread": true, "coroutine": true, "coroutine-sync": true, "coroutine-sync-idle": true}

// perConn runs handle for each connection in its own goroutine, locked
// to an OS thread (at the connection's nice value) when lock is set, and
// returns the first error.
func perConn(cs []conn, work int, lock bool) error {
	var wg sync.WaitGroup
	errs := make([]error, len(cs))
	for i := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if lock {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cs[i].req.Fd() // blocking mode: reads and writes block this thread
				cs[i].resp.Fd()
				if cs[i].prio != defaultPrio {
					nice := 5*int(cs[i].prio) - 20
					if err := syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), nice); err != nil {
						errs[i] = fmt.Errorf("nice %d for connection %d: %w", nice, i, err)
						return
					}
				}
			}
			errs[i] = handle(cs[i], work)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
