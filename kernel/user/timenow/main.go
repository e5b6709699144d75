// Command timenow measures time.Now against the clock_gettime system
// call, in retired instructions and cycles per call (rdinstret,
// rdcycle around n calls each):
//
//	timenow: 10000 calls: time.Now 123 instructions 456 cycles; clock_gettime system call 2345 instructions 6789 cycles
//
// On the copslab kernel time.Now goes through the vDSO without a system
// call (the kernel counts the process's system calls; a test compares
// runs with different n). It also checks that the two paths agree: a
// system call's CLOCK_REALTIME lies between two time.Now readings
// around it, and time.Now never goes backwards; it exits with 1 if not.
// With -abi it calls the vDSO's C entry points itself (cabi.go).
package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/internal/hpm"
)

func main() {
	n := flag.Int("n", 10000, "calls of each kind (0: none, for counting the program's other system calls)")
	sys := flag.Bool("sys", true, "also time the system call and compare the two paths (false: time.Now only)")
	abi := flag.Bool("abi", false, "only call the vDSO's C entry points directly and check results and registers")
	flag.Parse()
	if *abi {
		if err := checkCABI(); err != nil {
			fail("%v", err)
		}
		fmt.Println("timenow: C entry points ok")
		return
	}
	if *n == 0 {
		fmt.Println("timenow: 0 calls")
		return
	}
	prev := time.Now()
	c0, i0 := hpm.Cycles(), hpm.Instret()
	for range *n {
		t := time.Now()
		if t.Before(prev) {
			fail("time.Now went backwards: %v after %v", t, prev)
		}
		prev = t
	}
	c1, i1 := hpm.Cycles(), hpm.Instret()
	if !*sys {
		fmt.Printf("timenow: %d calls: time.Now %d instructions %d cycles\n", *n, (i1-i0)/uint64(*n), (c1-c0)/uint64(*n))
		return
	}
	var ts syscall.Timespec
	for range *n {
		clockGettime(1, &ts)
	}
	c2, i2 := hpm.Cycles(), hpm.Instret()
	for range 100 {
		a := time.Now().UnixNano()
		clockGettime(0, &ts)
		b := time.Now().UnixNano()
		if s := ts.Nano(); s < a || s > b {
			fail("system call's CLOCK_REALTIME %d outside the vDSO's [%d, %d]", s, a, b)
		}
	}
	u := uint64(*n)
	fmt.Printf("timenow: %d calls: time.Now %d instructions %d cycles; clock_gettime system call %d instructions %d cycles\n",
		*n, (i1-i0)/u, (c1-c0)/u, (i2-i1)/u, (c2-c1)/u)
}

// clockGettime is the system call itself, as the runtime makes it
// without a vDSO (no scheduler bookkeeping).
func clockGettime(clock uintptr, ts *syscall.Timespec) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clock, uintptr(unsafe.Pointer(ts)), 0); e != 0 {
		fail("clock_gettime: %v", e)
	}
}

func fail(format string, args ...any) {
	fmt.Printf("timenow: FAIL "+format+"\n", args...)
	os.Exit(1)
}
