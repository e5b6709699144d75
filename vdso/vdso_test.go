package vdso

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// TestDataLayout: the offsets documented on Data.
func TestDataLayout(t *testing.T) {
	var d Data
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Seq", unsafe.Offsetof(d.Seq), 0}, {"Timebase", unsafe.Offsetof(d.Timebase), 8},
		{"MonoSec", unsafe.Offsetof(d.MonoSec), 16}, {"MonoNsec", unsafe.Offsetof(d.MonoNsec), 24},
		{"RealSec", unsafe.Offsetof(d.RealSec), 32}, {"RealNsec", unsafe.Offsetof(d.RealNsec), 40},
		{"size", unsafe.Sizeof(d), DataSize}, {"binary size", uintptr(binary.Size(d)), DataSize},
	} {
		if c.got != c.want {
			t.Errorf("%s at %d, want %d", c.name, c.got, c.want)
		}
	}
}

// kernelNs is the kernel's own ticks → ns (kernel/rt bmTicksToNs).
func kernelNs(t, f uint64) int64 { return int64(t/f*1e9 + t%f*1e9/f) }

// TestClocks: the vDSO's clocks are the kernel's clock plus the offsets,
// to the nanosecond, for several timebases; unknown clocks and an
// unfilled page ask for the system call.
func TestClocks(t *testing.T) {
	for _, f := range []uint64{10_000_000, 24_000_000, 1_000_000, 32768} {
		var d Data
		mono, real := int64(-123_456_789_012), int64(1_700_000_000_987_654_321)
		d.Set(f, mono, real)
		for _, ticks := range []uint64{0, 1, f - 1, f, 12345678901, 1 << 40} {
			var ts Timespec
			if r := ClockGettime(&d, clockMonotonic, &ts, ticks); r != Done {
				t.Fatalf("monotonic: %d", r)
			}
			if got, want := ts.Sec*1e9+ts.Nsec, kernelNs(ticks, f)+mono; got != want || ts.Nsec < 0 || ts.Nsec >= 1e9 {
				t.Errorf("f=%d ticks=%d: monotonic %d.%09d, want %d", f, ticks, ts.Sec, ts.Nsec, want)
			}
			if ClockGettime(&d, clockRealtime, &ts, ticks); ts.Sec*1e9+ts.Nsec != kernelNs(ticks, f)+real {
				t.Errorf("f=%d ticks=%d: realtime %d.%09d", f, ticks, ts.Sec, ts.Nsec)
			}
			if d.Realtime(ticks) != kernelNs(ticks, f)+real || d.Monotonic(ticks) != kernelNs(ticks, f)+mono {
				t.Errorf("Data.Realtime/Monotonic disagree at %d", ticks)
			}
			var tv Timeval
			tz := [2]int32{7, 7}
			if Gettimeofday(&d, &tv, &tz, ticks); tv.Sec*1e6+tv.Usec != (kernelNs(ticks, f)+real)/1e3 || tz != [2]int32{} {
				t.Errorf("f=%d ticks=%d: gettimeofday %d.%06d tz %v", f, ticks, tv.Sec, tv.Usec, tz)
			}
		}
	}
	var d Data
	var ts Timespec
	if ClockGettime(&d, clockMonotonic, &ts, 5) != Syscall {
		t.Error("an unfilled page answered")
	}
	d.Set(10e6, 0, 0)
	for _, c := range []uintptr{2, 3, 8, 1 << 40} {
		if ClockGettime(&d, c, &ts, 5) != Syscall {
			t.Errorf("clock %d answered", c)
		}
	}
	if Gettimeofday(&d, nil, nil, 5) != Done {
		t.Error("gettimeofday(NULL, NULL) failed")
	}
}

// TestUsecDivision: the microseconds trick is exact for every
// nanosecond count a Timespec holds (checked at the edges and on a
// stride).
func TestUsecDivision(t *testing.T) {
	for n := int64(0); n < 1e9; n += 997 {
		for _, m := range []int64{n, 999_999_999 - n%1000} {
			if m*274877907>>38 != m/1000 {
				t.Fatalf("%d", m)
			}
		}
	}
}
