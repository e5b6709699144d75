// Command sigterm is the graceful-shutdown pattern: signal.Notify for
// SIGTERM, then wait for it while another goroutine sends it, first with
// syscall.Kill(getpid, SIGTERM), then with os.Process.Signal. Go's main
// thread usually sleeps in futex meanwhile, so the kernel has to deliver
// a process-directed signal to any thread that does not block it:
//
//	sigterm: got terminated (kill)
//	sigterm: got terminated (os.Process.Signal)
//	sigterm: ok
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	senders := []struct {
		name string
		send func() error
	}{
		{"kill", func() error { return syscall.Kill(os.Getpid(), syscall.SIGTERM) }},
		{"os.Process.Signal", func() error {
			p, err := os.FindProcess(os.Getpid())
			if err != nil {
				return err
			}
			return p.Signal(syscall.SIGTERM)
		}},
	}
	for _, s := range senders {
		errc := make(chan error, 1)
		go func() {
			time.Sleep(50 * time.Millisecond) // main is waiting by then
			errc <- s.send()
		}()
		select {
		case sig := <-c:
			fmt.Printf("sigterm: got %v (%s)\n", sig, s.name)
		case <-time.After(10 * time.Second):
			fmt.Printf("sigterm: FAIL: no signal 10 s after %s\n", s.name)
			os.Exit(1)
		}
		if err := <-errc; err != nil {
			fmt.Printf("sigterm: FAIL: %s: %v\n", s.name, err)
			os.Exit(1)
		}
	}
	fmt.Println("sigterm: ok")
}
