// Command threadhog locks -n goroutines to their own OS threads and
// parks them, so the process holds n+ threads, then lets them go:
//
//	threadhog: 1100 goroutines on their own threads: ok
//
// Linux runs it; a kernel that refuses a thread must say so rather than
// leave Go's runtime waiting for a thread that never starts.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
)

func main() {
	n := flag.Int("n", 1100, "goroutines, each locked to its own thread")
	flag.Parse()
	release := make(chan struct{})
	var started, done sync.WaitGroup
	for i := 0; i < *n; i++ {
		started.Add(1)
		done.Add(1)
		go func() {
			runtime.LockOSThread()
			started.Done()
			<-release
			done.Done()
		}()
	}
	started.Wait()
	close(release)
	done.Wait()
	fmt.Printf("threadhog: %d goroutines on their own threads: ok\n", *n)
}
