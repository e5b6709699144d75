//go:build copslab

package main

import (
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Console input for user processes. A goroutine, started when a process
// first reads fd 0, reads the kernel's os.Stdin (the UART, through the
// runtime's poller) and behaves like a terminal in cooked mode without
// line editing: it echoes what is typed, turns Enter ('\r') into '\n',
// and makes Ctrl-D an end-of-file mark. Processes take the bytes with
// read(0) (proc.Env.ReadConsole); a thread that finds none blocks, and
// the run loop wakes the readers (Sched.WakeInput) when it sees arrived.
type userInput struct {
	start sync.Once
	mu    sync.Mutex
	buf   []byte
	eofs  int           // pending end-of-file marks
	wake  chan struct{} // signalled (capacity 1) when input arrives
	// arrived is set after input is added; the run loop clears it and
	// wakes the threads reading the console.
	arrived atomic.Bool
}

var input = &userInput{wake: make(chan struct{}, 1)}

const ctrlD = 0x04

// pump copies console input into buf. It polls the UART ring every
// few milliseconds with a direct non-blocking read(0) rather than
// parking on os.Stdin: the runtime polls its console only when the
// scheduler idles, which never happens while a user process computes
// (the run loop re-enters it after every tick), so a shell would not
// see typing beside a busy program.
func (in *userInput) pump() {
	b := make([]byte, 256)
	for {
		n, err := syscall.Read(0, b)
		switch {
		case n > 0:
			in.add(b[:n])
		case err != nil && err != syscall.EAGAIN:
			return
		default:
			time.Sleep(pollEvery)
		}
	}
}

// pollEvery is how often pump looks for console input.
const pollEvery = 5 * time.Millisecond

func (in *userInput) add(b []byte) {
	in.mu.Lock()
	for _, c := range b {
		switch c {
		case ctrlD:
			in.eofs++
		case '\r':
			in.buf = append(in.buf, '\n')
			os.Stdout.Write([]byte("\n"))
		default:
			in.buf = append(in.buf, c)
			os.Stdout.Write([]byte{c})
		}
	}
	in.mu.Unlock()
	in.arrived.Store(true)
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// read takes buffered input; at an end-of-file mark with nothing
// buffered it consumes the mark and reports eof. An empty b only starts
// the pump (epoll_ctl on the console).
func (in *userInput) read(b []byte) (int, bool) {
	in.start.Do(func() { go in.pump() })
	if len(b) == 0 {
		return 0, false
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.buf) > 0 {
		n := copy(b, in.buf)
		in.buf = in.buf[n:]
		return n, false
	}
	if in.eofs > 0 {
		in.eofs--
		return 0, true
	}
	return 0, false
}
