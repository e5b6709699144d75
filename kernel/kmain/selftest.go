//go:build copslab

package main

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// A check is one self-test: it returns a detail line or an error.
type check struct {
	name string
	run  func(m *machine) (string, error)
}

var checks = []check{
	{"memory", checkMemory},
	{"wallclock", checkWallClock},
	{"goroutines", checkGoroutines},
	{"gc", checkGC},
	{"scavenge", checkScavenge},
	{"sleep", checkSleep},
	{"timer", checkTimerDuringCompute},
	{"preempt", checkPreemption},
	{"async-preempt", checkAsyncPreemption},
	{"fp-under-preemption", checkFPUnderPreemption},
	{"kalloc", checkKalloc},
	{"sv39", checkSv39},
}

// selftest runs every check and returns 0 only if all pass. The host
// test (kernel/boot_test.go) asserts on the lines printed here. The
// option "fail" adds a check that always fails, to test that path.
func selftest(m *machine, opts ...string) int {
	list := checks
	if slices.Contains(opts, "fail") {
		list = append(slices.Clip(list), check{"injected-failure", func(*machine) (string, error) {
			return "", fmt.Errorf("failure requested with -append \"selftest fail\"")
		}})
	}
	failed := 0
	for _, c := range list {
		detail, err := c.run(m)
		if err != nil {
			failed++
			fmt.Printf("selftest: %s: FAIL: %v\n", c.name, err)
			continue
		}
		fmt.Printf("selftest: %s: ok: %s\n", c.name, detail)
	}
	printStats(m)
	if failed > 0 {
		fmt.Printf("selftest: FAIL (%d of %d checks failed)\n", failed, len(list))
		return 1
	}
	fmt.Printf("selftest: PASS (%d checks)\n", len(list))
	return 0
}

// checkWallClock: with an RTC in the device tree, time.Now must be a
// plausible date (the RTC follows the host's clock) and advance with
// the monotonic clock.
func checkWallClock(m *machine) (string, error) {
	if m.rtc == 0 {
		return "no RTC in the device tree; wall clock counts from boot", nil
	}
	// Bracket each wall-clock reading between two mtime readings: the host
	// may deschedule QEMU between any two reads (several ms on a loaded
	// machine), so only the inner and outer mtime intervals bound the
	// wall-clock interval.
	a0 := mtimeNow()
	now := time.Now()
	a1 := mtimeNow()
	if now.Year() < 2024 {
		return "", fmt.Errorf("wall clock says %v", now)
	}
	time.Sleep(5 * time.Millisecond)
	b0 := mtimeNow()
	later := time.Now()
	b1 := mtimeNow()
	wall := later.Round(0).Sub(now.Round(0)) // wall-clock readings only
	const slack = time.Millisecond           // RTC and CLINT are read separately
	if lo, hi := b0-a1, b1-a0; wall < lo-slack || wall > hi+slack {
		return "", fmt.Errorf("wall clock advanced %v while mtime advanced between %v and %v", wall, lo, hi)
	}
	return fmt.Sprintf("%s from the RTC at %#x", now.UTC().Format(time.RFC3339), m.rtc), nil
}

// mtimeNow returns the CLINT counter in nanoseconds, read directly from
// the device (not through the runtime's clock).
func mtimeNow() time.Duration { return mtimeDuration(rtMtime()) }

// mtimeDuration converts t mtime ticks at hz to the time since boot.
func mtimeDuration(t, hz uint64) time.Duration {
	return time.Duration(t/hz*1e9 + t%hz*1e9/hz)
}

func checkMemory(m *machine) (string, error) {
	lo, bump, limit, inUse, peak := rtMem()
	end := m.ramBase + m.ramSize
	if uint64(lo) < m.ramBase || uint64(limit) > end || bump > limit {
		return "", fmt.Errorf("runtime memory [%#x, %#x) bump %#x outside RAM [%#x, %#x)", lo, limit, bump, m.ramBase, end)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("RAM %d MiB at %#x; runtime mapped %d KiB (peak %d KiB), Go Sys %d KiB",
		m.ramSize>>20, m.ramBase, inUse>>10, peak>>10, ms.Sys>>10), nil
}

// checkGoroutines fans work out to goroutines over channels and checks
// the sum, then checks select with a timeout.
func checkGoroutines(*machine) (string, error) {
	const workers, per = 16, 1000
	jobs := make(chan int)
	sums := make(chan int)
	for w := 0; w < workers; w++ {
		go func() {
			s := 0
			for j := range jobs {
				s += j
			}
			sums <- s
		}()
	}
	go func() {
		for i := 1; i <= workers*per; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	total := 0
	for w := 0; w < workers; w++ {
		total += <-sums
	}
	n := workers * per
	if want := n * (n + 1) / 2; total != want {
		return "", fmt.Errorf("sum %d, want %d", total, want)
	}
	never := make(chan int)
	select {
	case <-never:
		return "", fmt.Errorf("received from a channel nobody sends on")
	case <-time.After(5 * time.Millisecond):
	}
	return fmt.Sprintf("%d goroutines summed 1..%d = %d over channels; select timeout ok", workers, n, total), nil
}

// checkGC allocates far more than it keeps, verifying the contents of the
// live objects, so the collector must run and must not corrupt them.
func checkGC(*machine) (string, error) {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	const live, rounds = 64, 4000
	keep := make([][]uint32, live)
	for i := 0; i < rounds; i++ {
		n := 256 + (i*37)%4096
		b := make([]uint32, n)
		for j := range b {
			b[j] = uint32(i*131 + j)
		}
		slot := i % live
		if old := keep[slot]; old != nil {
			if err := verify(old, i-live); err != nil {
				return "", err
			}
		}
		keep[slot] = b
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	gcs := after.NumGC - before.NumGC
	if gcs == 0 {
		return "", fmt.Errorf("no GC cycle after allocating %d MiB", (after.TotalAlloc-before.TotalAlloc)>>20)
	}
	return fmt.Sprintf("NumGC +%d after allocating %d MiB, live objects verified; heap %d KiB",
		gcs, (after.TotalAlloc-before.TotalAlloc)>>20, after.HeapAlloc>>10), nil
}

func verify(b []uint32, i int) error {
	for j, v := range b {
		if v != uint32(i*131+j) {
			return fmt.Errorf("object %d word %d = %#x, want %#x (heap corruption)", i, j, v, uint32(i*131+j))
		}
	}
	return nil
}

// checkSleep measures time.Sleep against the CLINT counter. A sleep
// must never end early; the median overshoot must stay small. (The
// median, because QEMU's clock follows the host's: a host that
// deschedules QEMU stretches single samples.)
func checkSleep(*machine) (string, error) {
	// A round's overshoot includes the time the host did not run QEMU
	// (mtime follows the host clock): a busy host can spoil one round,
	// while a kernel that oversleeps spoils every round.
	const rounds = 5
	var first error
	for r := 1; r <= rounds; r++ {
		msg, err := sleepRound()
		switch {
		case err == nil && first == nil:
			return msg, nil
		case err == nil:
			return fmt.Sprintf("%s (round %d of %d; the first: %v)", msg, r, rounds, first), nil
		case first == nil:
			first = err
		}
		if r == rounds {
			return "", fmt.Errorf("%v (and %d more rounds failed; the first: %v)", err, rounds-1, first)
		}
	}
	return "", nil
}

// sleepRound sleeps n times and judges the overshoot.
func sleepRound() (string, error) {
	const d, n = 20 * time.Millisecond, 7
	var over []time.Duration
	for i := 0; i < n; i++ {
		// Each clock reading is bracketed by mtime reads (as in
		// checkWallClock): the host may deschedule QEMU between reads.
		t0a := mtimeNow()
		w0 := time.Now()
		t0b := mtimeNow()
		time.Sleep(d)
		t1a := mtimeNow()
		wall := time.Since(w0)
		t1b := mtimeNow()
		got := t1a - t0b // the sleep lies inside [t0b, t1a]
		if got < d {
			return "", fmt.Errorf("Sleep(%v) returned after %v by mtime", d, got)
		}
		if lo, hi := t1a-t0b, t1b-t0a; wall < lo-time.Millisecond || wall > hi+time.Millisecond {
			return "", fmt.Errorf("time.Since says %v, mtime says between %v and %v", wall, lo, hi)
		}
		over = append(over, got-d)
	}
	slices.Sort(over)
	med := over[n/2]
	if med > 25*time.Millisecond {
		return "", fmt.Errorf("median Sleep(%v) overshoot %v by mtime (all: %v)", d, med, over)
	}
	return fmt.Sprintf("%d x Sleep(%v): overshoot median +%v, max +%v by mtime", n, d, med, over[n-1]), nil
}

// spin is a call the compiler keeps. (Being a leaf with no frame it has
// no stack check of its own; checkPreemption's loop honours a request at
// mtimeNow's prologue.)
//
//go:noinline
func spin(x uint64) uint64 { return x*6364136223846793005 + 1442695040888963407 }

// checkTimerDuringCompute computes for 100 ms of mtime without any
// system call and counts the timer interrupts that arrived meanwhile.
func checkTimerDuringCompute(*machine) (string, error) {
	// It computes for d and then on until a tick has arrived: on a busy
	// host QEMU may not run during the whole of d (mtime follows the
	// host clock), and a tick that fell due is delivered only once QEMU
	// runs again. Only no tick within limit is a failure.
	const d, limit = 100 * time.Millisecond, 30 * time.Second
	t0 := atomic.LoadUint64(&ticks)
	start := mtimeNow()
	x := uint64(1)
	loops := 0
	for el := time.Duration(0); el < d || atomic.LoadUint64(&ticks) == t0 && el < limit; el = mtimeNow() - start {
		for i := 0; i < 1000; i++ {
			x = spin(x)
		}
		loops++
	}
	el := mtimeNow() - start
	n := atomic.LoadUint64(&ticks) - t0
	if n == 0 {
		return "", fmt.Errorf("no timer interrupt during %v of computing", el.Round(time.Millisecond))
	}
	return fmt.Sprintf("%d timer interrupts during %v of computing (ran %v: %d loops, x=%#x)", n, d, el.Round(time.Millisecond), loops, x&0xffff), nil
}

// checkPreemption: with one CPU, a goroutine spinning in a loop only
// lets another run if the tick handler preempts it.
//
// The bound is counted in timer ticks the guest received, not in mtime:
// on a busy host QEMU runs in bursts while mtime follows the host clock,
// and a tick that falls due while QEMU waits is delivered once, so two
// seconds of mtime could pass with only a few ticks (and the check used
// to fail 2 boots in 20 for that reason alone). A request needs
// preemptTicks+1 ticks; preemptWithin allows many more.
func checkPreemption(*machine) (string, error) {
	const preemptWithin = 100 // ticks
	var flag atomic.Bool
	go flag.Store(true)
	start, t0 := mtimeNow(), atomic.LoadUint64(&ticks)
	x := uint64(0)
	for !flag.Load() {
		x = spin(x)
		if n := atomic.LoadUint64(&ticks) - t0; n > preemptWithin || mtimeNow()-start > time.Minute {
			return "", fmt.Errorf("spinning goroutine was not preempted in %d ticks (%v)", n, mtimeNow()-start)
		}
	}
	return fmt.Sprintf("spinning goroutine preempted after %v, %d ticks", (mtimeNow() - start).Round(time.Millisecond),
		atomic.LoadUint64(&ticks)-t0), nil
}

// checkAsyncPreemption: the spinning loop makes no calls, so it has no
// prologue at which to yield; only an injected asyncPreempt call (from
// the tick handler) lets the other goroutine run. The iteration bound
// (seconds of TCG time) keeps a failure from hanging the test.
func checkAsyncPreemption(*machine) (string, error) {
	var flag atomic.Bool
	go flag.Store(true)
	start := mtimeNow()
	x, i := uint64(1), 0
	for ; !flag.Load() && i < 1<<30; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	if !flag.Load() {
		return "", fmt.Errorf("call-free loop ran %d iterations without being preempted", i)
	}
	return fmt.Sprintf("call-free loop preempted after %v (%d iterations, x=%#x)",
		(mtimeNow() - start).Round(time.Millisecond), i, x&0xffff), nil
}

// Coefficients of checkFPUnderPreemption's loop (variables on purpose).
var (
	fpMul, fpAdd   = 1.0000001, 0.5
	intMul, intAdd = uint64(2862933555777941757), uint64(3037000493)
)

// fpResult is one FP worker's final state.
type fpResult struct {
	f float64
	x uint64
}

// runFPWorkers runs the same call-free float/integer loop n times in each
// of workers goroutines, starting from x0, and returns their common result,
// or an error when any two disagree: a register that the trap or the
// preemption path failed to restore would make them differ.
func runFPWorkers(workers, n int, x0 uint64) (fpResult, error) {
	results := make(chan fpResult, workers)
	for w := 0; w < workers; w++ {
		go func() {
			// Call-free loop. The coefficients come from variables so
			// they stay in registers: a constant reloaded through the
			// assembler's temporary register (X31) at the loop head
			// makes it an unsafe point, and QEMU's TCG delivers
			// interrupts only there (at translation-block starts).
			m, a, xm, xa := fpMul, fpAdd, intMul, intAdd
			f, x := 1.0, x0
			for i := 0; i < n; i++ {
				f = f*m + a/f
				x = x*xm + xa
			}
			results <- fpResult{f, x}
		}()
	}
	first := <-results
	var err error
	for w := 1; w < workers; w++ {
		if r := <-results; r != first && err == nil {
			err = fmt.Errorf("worker results differ: %v vs %v", r, first)
		}
	}
	return first, err
}

// checkFPUnderPreemption runs the FP workers in three goroutines while a
// fourth churns the heap, so timer interrupts, async preemption and GC all
// interleave with them.
func checkFPUnderPreemption(*machine) (string, error) {
	const n, workers = 8_000_000, 3
	async0 := rtStats().asyncPreempts
	stop := make(chan struct{})
	go func() { // heap churn
		var keep [][]byte
		for {
			select {
			case <-stop:
				return
			default:
			}
			keep = append(keep, make([]byte, 4096))
			if len(keep) > 256 {
				keep = keep[:0]
			}
		}
	}()
	first, err := runFPWorkers(workers, n, 7)
	close(stop)
	if err != nil {
		return "", err
	}
	async1 := rtStats().asyncPreempts
	if async1 == async0 {
		return "", fmt.Errorf("no asynchronous preemption happened during the run")
	}
	return fmt.Sprintf("%d workers agree (f=%.6g, x=%#x) after %d async preemptions", workers, first.f, first.x&0xffff, async1-async0), nil
}
