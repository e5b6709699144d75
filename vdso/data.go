package vdso

import "sync/atomic"

// Data is the vDSO's data page, read-only for user code. Layout (bytes,
// little-endian; TestDataLayout checks it):
//
//	0   Seq      uint32  odd while the kernel rewrites the page
//	4   _        uint32
//	8   Timebase uint64  timer ticks per second (the FDT's timebase-frequency)
//	16  MonoSec  int64   CLOCK_MONOTONIC = time since reset + MonoSec s + MonoNsec ns
//	24  MonoNsec int64   0 ≤ MonoNsec < 1e9
//	32  RealSec  int64   CLOCK_REALTIME = time since reset + RealSec s + RealNsec ns
//	40  RealNsec int64   0 ≤ RealNsec < 1e9
//
// "Time since reset" is ticks/Timebase seconds and (ticks%Timebase)×1e9/
// Timebase nanoseconds, exactly what the kernel's own clock computes.
// Offsets are kept split so the readers never divide by 1e9 (the
// compiler would load its reciprocal from .rodata, outside the image).
//
// Writer: only the kernel (Set), with the sequence protocol of Linux's
// vvar page: Seq becomes odd, the fields change, Seq becomes even again.
// Readers (read) retry while Seq is odd or changed under them. On our
// single hart the kernel can only write while a trap has interrupted a
// reader, and the protocol makes that reader try again.
type Data struct {
	Seq      uint32
	_        uint32
	Timebase uint64
	MonoSec  int64
	MonoNsec int64
	RealSec  int64
	RealNsec int64
}

// DataSize is the number of bytes of the page Data uses.
const DataSize = 48

// PageSize is the page size the image and data page are laid out for.
const PageSize = 4096

// DataOffset is where the data page lies relative to the image's first
// byte: the first page boundary after the image.
func DataOffset(imageSize int) uint64 {
	return (uint64(imageSize) + PageSize - 1) &^ (PageSize - 1)
}

// Set writes the clock parameters: the timebase in Hz, and the offsets
// in nanoseconds that turn the time since reset into CLOCK_MONOTONIC
// and CLOCK_REALTIME.
func (d *Data) Set(timebase uint64, mono, real int64) {
	ms, mn := split(mono)
	rs, rn := split(real)
	atomic.AddUint32(&d.Seq, 1)
	d.Timebase, d.MonoSec, d.MonoNsec, d.RealSec, d.RealNsec = timebase, ms, mn, rs, rn
	atomic.AddUint32(&d.Seq, 1)
}

// split turns ns into seconds and 0 ≤ nanoseconds < 1e9.
func split(ns int64) (sec, nsec int64) {
	sec, nsec = ns/1e9, ns%1e9
	if nsec < 0 {
		sec, nsec = sec-1, nsec+1e9
	}
	return sec, nsec
}

// Monotonic and Realtime are the user clocks at ticks in nanoseconds:
// what the vDSO returns, for the kernel's system calls to agree with it.
func (d *Data) Monotonic(ticks uint64) int64 { return d.nanos(&d.MonoSec, ticks) }
func (d *Data) Realtime(ticks uint64) int64  { return d.nanos(&d.RealSec, ticks) }

func (d *Data) nanos(off *int64, ticks uint64) int64 {
	var ts Timespec
	if !read(d, off, ticks, &ts) {
		return 0
	}
	return ts.Sec*1e9 + ts.Nsec
}
