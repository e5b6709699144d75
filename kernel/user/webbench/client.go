package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"
)

// client drives -n connections (fds 3, 4 for the first: request writer,
// response reader; 5, 6 for the next, …) from the start byte on stdin
// until -ms guest milliseconds have passed, each connection on its own
// OS thread, and writes every request's latency, per connection, to stdout.
func client(args []string) error {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	n := fs.Int("n", 1, "connections")
	ms := fs.Int("ms", 200, "window in guest milliseconds")
	work := fs.Int("work", defaultWork, "the server's rounds per request (to check responses)")
	think := fs.Duration("think", 0, "pause between a response and the next request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := io.ReadFull(os.Stdin, make([]byte, 1)); err != nil {
		return fmt.Errorf("waiting for the start: %w", err)
	}
	deadline := time.Now().Add(time.Duration(*ms) * time.Millisecond)
	lats := make([][]int64, *n)
	errs := make([]error, *n)
	var wg sync.WaitGroup
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			req := os.NewFile(uintptr(3+2*i), "request")
			resp := os.NewFile(uintptr(4+2*i), "response")
			lats[i], errs[i] = drive(req, resp, uint64(i), *work, *think, deadline)
			req.Close()
			resp.Close()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
	}
	_, err := os.Stdout.Write(encodeLatencies(lats))
	return err
}

// drive sends requests one after the other, think apart, until the
// deadline and returns their latencies. Every 64th response's digest is checked
// (checking all would double the work on the one hart).
func drive(req, resp *os.File, id uint64, work int, think time.Duration, deadline time.Time) ([]int64, error) {
	q := make([]byte, reqSize)
	a := make([]byte, respSize)
	for i := 8; i < reqSize; i++ {
		q[i] = byte(id) + byte(i)
	}
	var lats []int64
	for seq := uint64(0); ; seq++ {
		if think > 0 && seq > 0 {
			time.Sleep(think)
		}
		t0 := time.Now()
		if !t0.Before(deadline) {
			return lats, nil
		}
		binary.LittleEndian.PutUint64(q, seq)
		if _, err := req.Write(q); err != nil {
			return nil, fmt.Errorf("request %d: %w", seq, err)
		}
		if _, err := io.ReadFull(resp, a); err != nil {
			return nil, fmt.Errorf("response %d: %w", seq, err)
		}
		lats = append(lats, int64(time.Since(t0)))
		if got := binary.LittleEndian.Uint64(a); got != seq {
			return nil, fmt.Errorf("response to %d came for %d", seq, got)
		}
		if seq%64 == 0 && binary.LittleEndian.Uint64(a[8:]) != digest(q, work) {
			return nil, fmt.Errorf("response %d: wrong digest", seq)
		}
	}
}
