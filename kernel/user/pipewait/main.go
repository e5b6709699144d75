// Command pipewait starts -n goroutines that each block reading their
// own pipe (a worker pool waiting for jobs), counts the process's
// threads while they wait (/proc/PID/task: with pipes on the runtime's
// poller a handful, not one per goroutine), then writes one job to
// every pipe and checks that every goroutine got its own:
//
//	pipewait: 7 threads while 200 goroutines wait
//	pipewait: 200 goroutines blocked on pipe reads, 200 jobs served
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 200, "goroutines")
	flag.Parse()
	done := make(chan int, *n)
	var writers []*os.File
	for i := 0; i < *n; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			fmt.Printf("pipewait: FAIL: pipe %d: %v\n", i, err)
			os.Exit(1)
		}
		writers = append(writers, w)
		go func(i int) {
			var b [1]byte
			if _, err := r.Read(b[:]); err != nil || b[0] != byte(i) {
				fmt.Printf("pipewait: FAIL: goroutine %d read %v %v\n", i, b[0], err)
				os.Exit(1)
			}
			done <- i
		}(i)
	}
	time.Sleep(100 * time.Millisecond) // let them all block
	if tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", os.Getpid())); err != nil {
		fmt.Printf("pipewait: FAIL: counting threads: %v\n", err)
		os.Exit(1)
	} else {
		fmt.Printf("pipewait: %d threads while %d goroutines wait\n", len(tasks), *n)
	}
	for i, w := range writers {
		if _, err := w.Write([]byte{byte(i)}); err != nil {
			fmt.Printf("pipewait: FAIL: write %d: %v\n", i, err)
			os.Exit(1)
		}
	}
	seen := make([]bool, *n)
	for range *n {
		select {
		case i := <-done:
			seen[i] = true
		case <-time.After(60 * time.Second):
			fmt.Println("pipewait: FAIL: goroutines still waiting after 60 s")
			os.Exit(1)
		}
	}
	fmt.Printf("pipewait: %d goroutines blocked on pipe reads, %d jobs served\n", *n, len(seen))
}
