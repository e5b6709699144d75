package main

import (
	"runtime"
	"sync"
)

// A form serves every connection until its request pipe ends and returns
// when all are done. Every form handles a connection with the same
// handle loop (blocking reads and writes on its pipes); they differ only
// in what runs that loop:
//
//   - thread: one goroutine per connection locked to its own OS thread —
//     the thread-per-connection server; every switch between connections
//     is a kernel thread switch.
//   - goroutine: one plain goroutine per connection — what a Go programmer
//     would write. The kernel's pipes are blocking (no epoll for them), so
//     a goroutine waiting for its request holds an OS thread in the kernel
//     and Go's runtime starts more threads as they block.
//
// The COPS form (coroutines of one executor, each read an async call
// completed by a user interrupt that wakes the coroutine) is added here
// as a third entry once the kernel has async pipe calls.
type form func(cs []conn, work int) error

var forms = map[string]form{
	"thread":    func(cs []conn, work int) error { return perConn(cs, work, true) },
	"goroutine": func(cs []conn, work int) error { return perConn(cs, work, false) },
}

// perConn runs handle for each connection in its own goroutine, locked
// to an OS thread when lock is set, and returns the first error.
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
