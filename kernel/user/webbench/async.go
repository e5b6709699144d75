package main

// The coroutine form, as the paper has it: async calls completed by user
// interrupts.
//
// Every connection is a coroutine of one cops executor (one OS thread) at
// the connection's priority, with a stack of its own (cops.Spawn): it
// reads its request with c.Read and writes the response with c.Write,
// both asynchronous system calls (kernel/user/cops/async.go). A read
// returns to the executor at once; the kernel's own coroutine finishes
// it when the client's request arrives, queues the completion in the
// process's receiver and posts a user interrupt, whose handler (the
// vDSO's) wakes the connection's coroutine in the Local. With no
// coroutine ready the executor sleeps in the kernel until an interrupt
// wakes it. No connection is ever polled, and the server makes no
// blocking call: a request costs its two async calls and the
// completions' interrupts.
//
// Pipes stay in blocking mode: the kernel's coroutine, not the server,
// waits in the read. The receiver's ring holds 64 calls in flight; with
// more connections than that, a connection waits its turn for a slot
// (package cops).

import (
	"errors"
	"fmt"

	"copslab/kernel/user/cops"
)

// slotWaits is the last async server's count of calls that waited for a
// free slot of the completion ring (for the BENCH line).
var slotWaits uint64

func asyncCoroutines(cs []conn, work int) error {
	ex, err := cops.New()
	if err != nil {
		return err
	}
	if !ex.Async() {
		return fmt.Errorf("no async calls here (%s): the coroutine form needs the copslab kernel", ex.Source())
	}
	errs := make([]error, len(cs))
	for i, c := range cs {
		rfd, wfd := int(c.req.Fd()), int(c.resp.Fd())
		if _, err := ex.Spawn(c.prio, func(co *cops.Co) {
			errs[i] = serveAsync(co, rfd, wfd, work)
			c.req.Close()
			c.resp.Close()
		}); err != nil {
			return err
		}
	}
	if err := ex.Run(); err != nil {
		return err
	}
	slotWaits = ex.SlotWaits()
	return errors.Join(errs...)
}

// serveAsync answers requests on one connection until the client closes
// its request pipe.
func serveAsync(co *cops.Co, rfd, wfd, work int) error {
	req := make([]byte, reqSize)
	resp := make([]byte, respSize)
	for {
		for got := 0; got < reqSize; {
			n, err := co.Read(rfd, req[got:])
			switch {
			case err != nil:
				return fmt.Errorf("reading a request: %w", err)
			case n == 0 && got == 0:
				return nil
			case n == 0:
				return errors.New("a request cut short by the end of its pipe")
			}
			got += n
		}
		respond(req, resp, work)
		for sent := 0; sent < respSize; {
			n, err := co.Write(wfd, resp[sent:])
			if err != nil {
				return fmt.Errorf("writing a response: %w", err)
			}
			sent += n
		}
	}
}
