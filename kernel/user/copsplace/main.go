// Command copsplace shows the kernel placing processes by the priority
// of their best ready coroutine, read from the process's Local with no
// system call.
//
// It spawns one coroutine at -prio on the Local the kernel mapped
// (AT_COPS_LOCAL), sleeps until -at after boot (CLOCK_MONOTONIC) so that
// every copy started side by side holds a ready coroutine before any of
// them computes, then runs the executor: the coroutine prints -lines
// lines, each after -work iterations of computing; every line is a write
// system call, so the kernel decides again after each. With -drop K:Q
// the coroutine changes its own priority to Q after line K — a store
// into the Local through the vDSO, no system call — and the kernel's
// next decision sees it.
//
//	copsplace 2: prio 2 line 1
//	…
//	copsplace 2: done
//
// Exits 1 if the kernel mapped no Local.
package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/cops"
)

var (
	prio  = flag.Int("prio", 4, "priority of the coroutine (0 best … 7)")
	lines = flag.Int("lines", 10, "lines the coroutine prints")
	work  = flag.Int("work", 20000, "loop iterations of computing before each line")
	at    = flag.Duration("at", 0, "start computing at this time since boot")
	drop  = flag.String("drop", "", "K:Q: after line K the coroutine sets its own priority to Q")
)

// sink keeps the computing loop from being optimised away.
var sink uint64

func spin(n int) {
	x := uint64(88172645463325252)
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	sink += x
}

// monotonic is CLOCK_MONOTONIC: the time since the machine started.
func monotonic() time.Duration {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

func main() {
	flag.Parse()
	dropAt, dropTo := -1, 0
	if *drop != "" {
		if _, err := fmt.Sscanf(*drop, "%d:%d", &dropAt, &dropTo); err != nil {
			fmt.Printf("copsplace: -drop %q: want K:Q\n", *drop)
			os.Exit(2)
		}
	}
	ex, err := cops.New()
	if err != nil {
		fmt.Println("copsplace:", err)
		os.Exit(1)
	}
	pid := os.Getpid()
	fmt.Printf("copsplace %d: %s\n", pid, ex.Source())
	if _, err := ex.Spawn(uint8(*prio), func(c *cops.Co) {
		for i := 1; i <= *lines; i++ {
			spin(*work)
			fmt.Printf("copsplace %d: prio %d line %d\n", pid, c.Prio(), i)
			if i == dropAt {
				if err := c.SetPrio(uint8(dropTo)); err != nil {
					fmt.Printf("copsplace %d: %v\n", pid, err)
				}
			}
		}
	}); err != nil {
		fmt.Println("copsplace:", err)
		os.Exit(1)
	}
	if d := *at - monotonic(); d > 0 {
		time.Sleep(d)
	}
	if err := ex.Run(); err != nil {
		fmt.Println("copsplace:", err)
		os.Exit(1)
	}
	fmt.Printf("copsplace %d: done\n", pid)
}
