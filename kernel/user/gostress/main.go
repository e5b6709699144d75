// Command gostress runs many goroutines that pass work over channels while
// allocating garbage, forces garbage collections, and checks the result
// against a serial computation:
//
//	gostress: ok workers=64 items=20000 sum=<n> gcs>=5
//
// On a mismatch it prints "gostress: FAIL ..." and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
)

// item is heap-allocated per unit of work so the collector has pointers to
// trace, not just byte slices.
type item struct {
	n    uint64
	junk []byte
	next *item
}

func work(n uint64) uint64 { return n*n%1000003 + n }

func main() {
	workers := flag.Int("workers", 64, "goroutines")
	items := flag.Int("items", 20000, "work items")
	flag.Parse()

	before := readGCs()
	in := make(chan *item, 16)
	out := make(chan uint64, 16)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go worker(in, out, &wg)
	}
	go produce(in, *items)
	go func() { wg.Wait(); close(out) }()

	var sum uint64
	got := 0
	for v := range out {
		sum += v
		if got++; got%(*items/4) == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	gcs := readGCs() - before

	var want uint64
	for i := 1; i <= *items; i++ {
		want += work(uint64(i))
	}
	if got != *items || sum != want || gcs < 5 {
		fmt.Printf("gostress: FAIL items=%d/%d sum=%d want=%d gcs=%d\n", got, *items, sum, want, gcs)
		os.Exit(1)
	}
	fmt.Printf("gostress: ok workers=%d items=%d sum=%d gcs>=5\n", *workers, *items, sum)
}

func produce(in chan<- *item, n int) {
	for i := 1; i <= n; i++ {
		in <- &item{n: uint64(i), junk: make([]byte, 64+i%4096)}
	}
	close(in)
}

// worker builds a short linked list of garbage per item, then reports the
// item's value.
func worker(in <-chan *item, out chan<- uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	for it := range in {
		for j := 0; j < 4; j++ {
			it = &item{n: it.n, junk: make([]byte, 256), next: it}
		}
		for it.next != nil {
			it = it.next
		}
		out <- work(it.n)
	}
}

func readGCs() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}
