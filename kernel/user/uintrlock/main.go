// Command uintrlock is the guest half of the stress that lands user
// interrupts inside the executor's lock window (uintr/protocol.go, steps
// H1–H3, R1–R4, S1–S4; the test is kernel/uintr_lock_test.go).
//
//	uintrlock [-n READS] [-r READERS] [-w WORKERS] [-log CAP]
//	uintrlock feed
//
// The program runs package cops's executor on the kernel's Local with
// the vDSO's scheduler code and user-interrupt handler — the code every
// cops program runs. READERS reader coroutines make async reads of a
// pipe (submit S1–S4 under the lock, the coroutine blocks, the
// executor's Fetch under the lock); WORKERS worker coroutines do a
// varying amount of work (0–31 rounds of a loop: it moves the ticks'
// phase against the loop) and then yield (the executor's Switch under
// the lock) or, one time in 8, make an async sleep of 0 (it completes
// at its system call: the interrupt comes inside the submit's window
// and the release drains it, R2).
//
// The pipe's other end is a second process, this program with "feed": a
// byte, a 1 µs sleep, again. Both processes have the same global
// priority, so the feeder gets the hart only at ticks (boot option
// tick=HZ): a tick stops this process at whatever instruction it was on,
// the feeder writes, a waiting read completes, and the kernel delivers
// the interrupt at the pc the tick found (the boost — priority 0 while
// an interrupt is pending — gives this process the hart back at once).
// The executor's thread runs at nice -5, so the kernel delivers on it
// rather than on a runtime thread woken by the same tick.
//
// The kernel logs every delivery (the receiver's PCLog: the pc, the
// Local's lock word then, the thread). At the end the program prints
//
//	uintrlock: ok: C async calls submitted, C completed, C drained, 0 stray; Y yields;
//	  D deliveries: H to the executor's thread inside its lock window at P pcs, F with the lock free, ...
//	uintrlock: window pcs: PC:N PC:N ...
//
// and exits 0, or says what failed and exits 1. A lost wakeup leaves a
// reader blocked for good (the kernel's time limit ends the run), a
// duplicated one is stray or makes drained exceed submitted.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/cops"
	"copslab/sched"
)

// lockTag is the executor's owner tag on the Local's lock word (a user,
// hart unknown): what the kernel's log shows while the executor holds it.
var lockTag = sched.LockTag(0, true)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "feed" {
		feed()
		return
	}
	n := flag.Int("n", 2000, "async reads to complete (one per tick at most)")
	r := flag.Int("r", 2, "reader coroutines")
	w := flag.Int("w", 3, "worker coroutines")
	logCap := flag.Int("log", 0, "delivery log entries (0: 16 per read)")
	flag.Parse()
	if *logCap <= 0 {
		*logCap = 16*(*n) + 1024
	}
	if err := run(*n, *r, *w, *logCap); err != nil {
		fmt.Printf("uintrlock: FAIL: %v\n", err)
		os.Exit(1)
	}
}

// feed writes one byte to stdout, sleeps a microsecond, and again, until
// the pipe's reader is gone. Its turns come at ticks (the other process
// keeps the hart at its own system calls), and the sleep ends a turn, so
// it writes at most one byte a turn (a turn of writes would leave bytes
// waiting, and a read that finds one completes at its system call, not
// at a tick).
func feed() {
	b := []byte{1}
	ts := syscall.Timespec{Nsec: 1000}
	for n := 0; ; n++ {
		if _, err := syscall.Write(1, b); err != nil {
			fmt.Fprintf(os.Stderr, "uintrlock: feeder: %d writes, then %v\n", n, err)
			os.Exit(0)
		}
		syscall.Nanosleep(&ts, nil)
	}
}

// delivery is one entry of the kernel's delivery log (uintr/layout.go).
type delivery struct {
	pc        uint64
	lock, tid uint32
}

// dlog is the delivery log in this process's memory.
type dlog struct {
	hdr  *[2]uint64 // Count, Cap
	ents []delivery
}

func newLog(n int) (*dlog, error) {
	mem, err := syscall.Mmap(-1, 0, 16+16*n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, err
	}
	l := &dlog{hdr: (*[2]uint64)(unsafe.Pointer(&mem[0])), ents: unsafe.Slice((*delivery)(unsafe.Pointer(&mem[16])), n)}
	l.hdr[1] = uint64(n)
	return l, nil
}

func (l *dlog) count() uint64 { return atomic.LoadUint64(&l.hdr[0]) }

// entry returns entry i if the log holds it.
func (l *dlog) entry(i uint64) (delivery, bool) {
	if i >= uint64(len(l.ents)) {
		return delivery{}, false
	}
	return l.ents[i], true
}

// spin does n rounds of work the compiler cannot drop: the varying
// distance between lock operations that moves the ticks' phase against
// the loop.
//
//go:noinline
func spin(n uint64) {
	for i := uint64(0); i < n; i++ {
		sink += i
	}
}

var sink uint64

func run(reads, readers, workers int, logCap int) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	feeder := exec.Command(os.Args[0], "feed")
	feeder.Stdout, feeder.Stderr = pw, os.Stderr
	if err := feeder.Start(); err != nil {
		return fmt.Errorf("starting the feeder: %w", err)
	}
	pw.Close()
	defer func() { pr.Close(); feeder.Wait() }() // the feeder's next write fails: it exits

	runtime.LockOSThread() // the executor's thread: deliveries to it are the ones that land in its code
	tid := uint32(syscall.Gettid())
	// Nice -5 on the executor's thread: of the process's ready threads
	// the kernel places it first, so the interrupt a tick's completion
	// posts is delivered on it, at the pc the tick found, rather than on
	// a runtime thread (sysmon) whose sleep ended at the same tick.
	if err := syscall.Setpriority(syscall.PRIO_PROCESS, 0, -5); err != nil {
		return fmt.Errorf("setpriority: %w", err)
	}
	ex, err := cops.New()
	if err != nil {
		return err
	}
	if !ex.Async() {
		return fmt.Errorf("no async calls (%s)", ex.Source())
	}
	r := ex.Receiver()
	dl, err := newLog(logCap)
	if err != nil {
		return err
	}
	atomic.StoreUint64(&r.PCLog, uint64(uintptr(unsafe.Pointer(dl.hdr))))

	var (
		nRead, nSleep, nYield, submitted atomic.Int64
		stop                             atomic.Bool
		werr                             error
	)
	fail := func(err error) {
		if werr == nil {
			werr = err
		}
		stop.Store(true)
	}
	fd := int(pr.Fd())
	read := func(c *cops.Co) {
		buf := make([]byte, 64<<10) // all that is there: no backlog after a read
		for !stop.Load() {
			submitted.Add(1)
			n, err := c.Read(fd, buf)
			if err != nil || n < 1 {
				fail(fmt.Errorf("async read = %d, %v", n, err))
				return
			}
			if nRead.Add(1) >= int64(reads) {
				stop.Store(true)
			}
		}
	}
	work := func(seed uint64) func(*cops.Co) {
		return func(c *cops.Co) {
			x := seed*0x9e3779b97f4a7c15 | 1
			for !stop.Load() {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				spin(x & 31)
				if x&(7<<8) != 0 { // 7 in 8: yield (the executor's Switch under the lock)
					c.Yield()
					nYield.Add(1)
					continue
				}
				// else an async sleep of 0: it completes at its system
				// call, so its interrupt comes right there, inside the
				// submit's window, and the release drains it (R2).
				submitted.Add(1)
				if err := c.Sleep(0); err != nil {
					fail(fmt.Errorf("async sleep: %v", err))
					return
				}
				nSleep.Add(1)
			}
		}
	}
	if _, err := ex.Spawn(4, func(c *cops.Co) {
		for range readers {
			ex.Spawn(4, read)
		}
		for i := range workers - 1 {
			ex.Spawn(4, work(uint64(i+2)))
		}
		fmt.Printf("uintrlock: running: %d readers, %d workers\n", readers, workers)
		work(1)(c) // this one too: no coroutine exits while the test traces windows
	}); err != nil {
		return err
	}
	start := time.Now()
	if err := ex.Run(); err != nil {
		return err
	}
	took := time.Since(start)
	atomic.StoreUint64(&r.PCLog, 0)
	if werr != nil {
		return werr
	}
	return report(dl, r.Drained, r.Stray, tid, nRead.Load()+nSleep.Load(), submitted.Load(), nYield.Load(), took)
}

// report checks the counts and prints the result and the histogram of
// the pcs where deliveries found the executor holding its lock.
func report(dl *dlog, drained, stray uint64, tid uint32, calls, submitted, yields int64, took time.Duration) error {
	count := dl.count()
	if count > uint64(len(dl.ents)) {
		return fmt.Errorf("%d deliveries, the log holds %d: run with a larger -log", count, len(dl.ents))
	}
	hist := map[uint64]int{}
	var held, free, other, elsewhere int
	for _, d := range dl.ents[:count] {
		switch {
		case d.tid != tid:
			elsewhere++
		case d.lock == lockTag:
			held++
			hist[d.pc]++
		case d.lock == 0:
			free++
		default:
			other++
		}
	}
	var err error
	switch {
	case calls != submitted:
		err = fmt.Errorf("%d async calls submitted, %d completed", submitted, calls)
	case drained != uint64(calls) || stray != 0:
		err = fmt.Errorf("%d async calls, the receiver drained %d, %d stray", calls, drained, stray)
	case held == 0:
		err = errors.New("no delivery landed inside the lock window")
	}
	fmt.Printf("uintrlock: %s: %d async calls submitted, %d completed, %d drained, %d stray; %d yields; "+
		"%d deliveries: %d to the executor's thread inside its lock window at %d pcs, %d with the lock free, %d with it held by another, %d to other threads; %v\n",
		map[bool]string{true: "ok", false: "FAIL"}[err == nil], submitted, calls, drained, stray, yields,
		count, held, len(hist), free, other, elsewhere, took.Round(time.Millisecond))
	pcs := make([]uint64, 0, len(hist))
	for pc := range hist {
		pcs = append(pcs, pc)
	}
	sort.Slice(pcs, func(i, j int) bool { return pcs[i] < pcs[j] })
	for len(pcs) > 0 {
		k := min(len(pcs), 16)
		var b strings.Builder
		for _, pc := range pcs[:k] {
			fmt.Fprintf(&b, " %#x:%d", pc, hist[pc])
		}
		fmt.Printf("uintrlock: window pcs:%s\n", b.String())
		pcs = pcs[k:]
	}
	return err
}
