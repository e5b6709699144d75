package main

import (
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/kernel/user/internal/cabi"
)

// checkCABI calls the vDSO's C entry points the way a C library would —
// __vdso_gettimeofday (Go's runtime never does), and
// __vdso_clock_gettime with clocks the runtime never asks for, including
// one the vDSO hands to the kernel (CLOCK_PROCESS_CPUTIME_ID: the
// fallback system call) — and checks the results and that every C
// callee-saved register survived.
func checkCABI() error {
	base, syms, err := auxvdso.Image()
	if err != nil {
		return err
	}
	entry := func(name string) (uintptr, error) {
		off, ok := syms[name]
		if !ok {
			return 0, fmt.Errorf("the vDSO does not export %s", name)
		}
		return base + uintptr(off), nil
	}
	gtod, err := entry("__vdso_gettimeofday")
	if err != nil {
		return err
	}
	cgt, err := entry("__vdso_clock_gettime")
	if err != nil {
		return err
	}
	call := func(what string, fn, a0, a1 uintptr) error {
		r, clobbered := cabi.Call(fn, a0, a1)
		if r != 0 || clobbered != 0 {
			return fmt.Errorf("%s: returned %d, clobbered callee-saved registers %#x", what, int64(r), clobbered)
		}
		return nil
	}
	var tv syscall.Timeval
	tz := [2]int32{-1, -1}
	a := time.Now().UnixMicro()
	if err := call("gettimeofday", gtod, uintptr(unsafe.Pointer(&tv)), uintptr(unsafe.Pointer(&tz))); err != nil {
		return err
	}
	b := time.Now().UnixMicro()
	if us := tv.Sec*1e6 + tv.Usec; us < a || us > b || tv.Usec < 0 || tv.Usec >= 1e6 || tz != [2]int32{} {
		return fmt.Errorf("gettimeofday: %d.%06d, tz %v; time.Now around it %d..%d µs", tv.Sec, tv.Usec, tz, a, b)
	}
	if err := call("gettimeofday(NULL, NULL)", gtod, 0, 0); err != nil {
		return err
	}
	for _, c := range []struct {
		id   uintptr
		name string
		real bool
	}{{5, "CLOCK_REALTIME_COARSE", true}, {6, "CLOCK_MONOTONIC_COARSE", false}, {2, "CLOCK_PROCESS_CPUTIME_ID (system call)", false}} {
		var ts syscall.Timespec
		var before, after int64
		clock := func() int64 {
			if c.real {
				return time.Now().UnixNano()
			}
			var m syscall.Timespec
			clockGettime(1, &m)
			return m.Nano()
		}
		before = clock()
		if err := call(c.name, cgt, c.id, uintptr(unsafe.Pointer(&ts))); err != nil {
			return err
		}
		after = clock()
		if c.id != 2 && (ts.Nano() < before || ts.Nano() > after) || ts.Nsec < 0 || ts.Nsec >= 1e9 {
			return fmt.Errorf("%s: %d.%09d outside %d..%d", c.name, ts.Sec, ts.Nsec, before, after)
		}
	}
	return nil
}
