// Command threads counts primes below a bound with one OS thread per worker
// (GOMAXPROCS = workers, each goroutine locked to its thread), checks the
// total against a serial count, and checks that the workers really ran on
// distinct kernel threads (gettid):
//
//	threads: ok workers=4 threads=4 primes=17984
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
)

func main() {
	workers := flag.Int("workers", 4, "threads")
	limit := flag.Int("limit", 200000, "count primes below this")
	flag.Parse()
	runtime.GOMAXPROCS(*workers)

	counts := make([]int, *workers)
	tids := make([]int, *workers)
	var ready, done sync.WaitGroup
	ready.Add(*workers)
	done.Add(*workers)
	for w := 0; w < *workers; w++ {
		go func(w int) {
			defer done.Done()
			runtime.LockOSThread()
			tids[w] = syscall.Gettid()
			lo, hi := *limit*w / *workers, *limit*(w+1) / *workers
			counts[w] = countPrimes(lo, hi)
			// Stay locked until every worker has its tid, so no two
			// workers can have shared one thread.
			ready.Done()
			ready.Wait()
			runtime.UnlockOSThread()
		}(w)
	}
	done.Wait()

	total := 0
	distinct := map[int]bool{}
	for w := range counts {
		total += counts[w]
		distinct[tids[w]] = true
	}
	want := countPrimes(0, *limit)
	if total != want || len(distinct) != *workers {
		fmt.Printf("threads: FAIL primes=%d want=%d threads=%d\n", total, want, len(distinct))
		os.Exit(1)
	}
	fmt.Printf("threads: ok workers=%d threads=%d primes=%d\n", *workers, len(distinct), total)
}

// countPrimes counts the primes in [lo, hi) by trial division (deliberately
// CPU-bound).
func countPrimes(lo, hi int) int {
	n := 0
	for x := lo; x < hi; x++ {
		if isPrime(x) {
			n++
		}
	}
	return n
}

func isPrime(x int) bool {
	if x < 2 {
		return false
	}
	for d := 2; d*d <= x; d++ {
		if x%d == 0 {
			return false
		}
	}
	return true
}
