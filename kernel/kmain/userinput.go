//go:build copslab

package main

import (
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Console input for user processes, once a process first reads fd 0:
// the console driver — the kernel coroutine at priority 0 (cops.go), or
// without the executor a goroutine polling the UART — reads the kernel's
// os.Stdin and behaves like a terminal in cooked mode without line
// editing: it echoes what is typed, turns Enter ('\r') into '\n', and
// makes Ctrl-D an end-of-file mark. Processes take the bytes with read(0)
// (proc.Env.ReadConsole); a thread that finds none blocks, and the driver
// wakes the readers (Sched.WakeInput; the goroutine through arrived and
// the run loop).
type userInput struct {
	start  sync.Once
	active atomic.Bool // a process has read fd 0: the driver takes bytes
	rx     [256]byte   // the driver coroutine's read buffer (serve)
	mu     sync.Mutex
	buf    []byte
	eofs   int           // pending end-of-file marks
	wake   chan struct{} // signalled (capacity 1) when input arrives
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

// serve is the console driver coroutine's work (one run per wake-up):
// it takes every byte the UART's interrupt handler has queued, echoes
// it and wakes the threads reading the console. Before any process
// reads fd 0 the bytes stay queued.
func (in *userInput) serve(uint64) {
	if !in.active.Load() {
		return
	}
	_, at := rtRx()
	b := in.rx[:]
	got := false
	for {
		n, _ := syscall.Read(0, b)
		if n <= 0 {
			break
		}
		in.add(b[:n])
		got = true
	}
	if !got {
		return
	}
	in.arrived.Store(false)
	procTable.Sched().WakeInput()
	echoStats.runs++
	if d := mtimeNow() - mtimeAt(at); d > echoStats.max {
		echoStats.max = d
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
	in.start.Do(func() {
		if consoleCo != nil {
			in.active.Store(true)
			consoleCo.Interrupt(0) // bytes typed before the first read
			return
		}
		go in.pump()
	})
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
