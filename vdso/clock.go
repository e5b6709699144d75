package vdso

import (
	"sync/atomic"
	"unsafe"
)

// Clock ids (Linux include/uapi/linux/time.h) the vDSO answers itself;
// any other id is passed to the kernel with the system call.
const (
	clockRealtime        = 0
	clockMonotonic       = 1
	clockMonotonicRaw    = 4
	clockRealtimeCoarse  = 5
	clockMonotonicCoarse = 6
	clockBoottime        = 7
)

// hotPath lists this package's functions compiled into the vDSO image
// (package image reads it, as it reads the scheduler's list).
var hotPath = []string{"ClockGettime", "Gettimeofday", "read"}

// Timespec and Timeval are Linux's struct timespec and struct timeval
// on riscv64.
type (
	Timespec struct{ Sec, Nsec int64 }
	Timeval  struct{ Sec, Usec int64 }
)

// Results of ClockGettime and Gettimeofday for their entry code (package
// image): Done means the answer is stored, Syscall that the entry must
// make the system call with the caller's arguments instead (a clock the
// vDSO does not know, or a data page the kernel has not filled).
const (
	Done    = 0
	Syscall = 1
)

// ClockGettime stores the time of clock at ticks (the time CSR, read by
// the entry code) in *ts. It is the body of __vdso_clock_gettime.
//
// nosplit: compiled into the vDSO, where no Go stack check can run.
//
//go:nosplit
func ClockGettime(d *Data, clock uintptr, ts *Timespec, ticks uint64) uintptr {
	var off *int64
	switch clock {
	case clockRealtime, clockRealtimeCoarse:
		off = &d.RealSec
	case clockMonotonic, clockMonotonicRaw, clockMonotonicCoarse, clockBoottime:
		off = &d.MonoSec
	default:
		return Syscall
	}
	if !read(d, off, ticks, ts) {
		return Syscall
	}
	return Done
}

// Gettimeofday stores CLOCK_REALTIME at ticks in *tv (if not nil) and
// zeroes *tz (if not nil: no time zones here). It is the body of
// __vdso_gettimeofday.
//
// nosplit: compiled into the vDSO, where no Go stack check can run.
//
//go:nosplit
func Gettimeofday(d *Data, tv *Timeval, tz *[2]int32, ticks uint64) uintptr {
	if tv != nil {
		// Timeval has Timespec's layout; the nanoseconds become
		// microseconds by n×⌈2^38/1000⌉>>38, exact for n < 1e9 and
		// free of 64-bit constants.
		ts := (*Timespec)(unsafe.Pointer(tv))
		if !read(d, &d.RealSec, ticks, ts) {
			return Syscall
		}
		tv.Usec = tv.Usec * 274877907 >> 38
	}
	if tz != nil {
		tz[0], tz[1] = 0, 0
	}
	return Done
}

// read stores the time since reset at ticks plus the offset at off (a
// seconds field followed by its nanoseconds) in *ts, under the sequence
// protocol of Data. It reports false if the page holds no timebase.
//
// nosplit: compiled into the vDSO, where no Go stack check can run.
//
//go:nosplit
func read(d *Data, off *int64, ticks uint64, ts *Timespec) bool {
	offNsec := (*int64)(unsafe.Add(unsafe.Pointer(off), 8))
	for {
		seq := atomic.LoadUint32(&d.Seq)
		f := atomic.LoadUint64(&d.Timebase)
		osec, onsec := atomic.LoadInt64(off), atomic.LoadInt64(offNsec)
		if seq&1 != 0 || atomic.LoadUint32(&d.Seq) != seq {
			continue
		}
		if f == 0 {
			return false
		}
		sec := ticks / f
		nsec := (ticks - sec*f) * 1e9 / f
		ts.Sec, ts.Nsec = int64(sec)+osec, int64(nsec)+onsec
		if ts.Nsec >= 1e9 {
			ts.Sec, ts.Nsec = ts.Sec+1, ts.Nsec-1e9
		}
		return true
	}
}
