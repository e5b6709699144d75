//go:build copslab

package runtime

import "unsafe"

// Linux system call emulation. The runtime (and package syscall) still
// think they run on linux/riscv64: they put the call number in a7, the
// arguments in a0..a5 and execute ecall, which in machine mode traps to
// bmTrapVector with mcause = 11. bmSyscall serves the calls a Go program
// makes; anything else returns -ENOSYS and is counted.

// Call numbers (Linux include/uapi/asm-generic/unistd.h).
const (
	bmSysEventfd2       = 19
	bmSysEpollCreate1   = 20
	bmSysEpollCtl       = 21
	bmSysEpollPwait     = 22
	bmSysFcntl          = 25
	bmSysIoctl          = 29
	bmSysOpenat         = 56
	bmSysClose          = 57
	bmSysRead           = 63
	bmSysWrite          = 64
	bmSysExit           = 93
	bmSysExitGroup      = 94
	bmSysSetTidAddress  = 96
	bmSysFutex          = 98
	bmSysNanosleep      = 101
	bmSysClockGettime   = 113
	bmSysSchedGetaffin  = 123
	bmSysSchedYield     = 124
	bmSysKill           = 129
	bmSysTkill          = 130
	bmSysTgkill         = 131
	bmSysSigaltstack    = 132
	bmSysRtSigaction    = 134
	bmSysRtSigprocmask  = 135
	bmSysGettimeofday   = 169
	bmSysGetpid         = 172
	bmSysGettid         = 178
	bmSysMunmap         = 215
	bmSysMmap           = 222
	bmSysMprotect       = 226
	bmSysMadvise        = 233
	bmSysGetrandom      = 278
	bmSysClockNanosleep = 115
	bmSysPrlimit64      = 261
	bmSysSetitimer      = 103
	bmSysTimerSettime   = 110
	bmSysTimerDelete    = 111
)

// Linux errno values (asm-generic/errno-base.h, errno.h).
const (
	bmENOENT    = 2
	bmEBADF     = 9
	bmEAGAIN    = 11
	bmENOMEM    = 12
	bmENODEV    = 19
	bmEINVAL    = 22
	bmENOTTY    = 25
	bmENOSYS    = 38
	bmETIMEDOUT = 110
)

// bmWallOffset is added to the time since reset for CLOCK_REALTIME
// (0 until the kernel reads a real-time clock: the epoch is then boot).
var bmWallOffset int64

const bmClockRealtime = 0

// File descriptors the emulation knows.
const (
	bmFdStdin   = 0
	bmFdStdout  = 1
	bmFdStderr  = 2
	bmFdEpoll   = 3
	bmFdEventfd = 4
	bmONonblock = 0x800
	bmFGetfl    = 3
	bmEpollIn   = 0x1
	bmEpollAdd  = 1
	bmEpollDel  = 2
	bmEpollMod  = 3
)

// bmEpoll remembers the runtime's registration of fd 0 (its pollDesc
// pointer travels as opaque event data; stored as a uint64, so no write
// barrier is involved).
var bmEpoll struct {
	stdinData    uint64
	stdinWatched bool
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmSyscall(f *bmTrapFrame) int64 {
	a := f.x[10:16]
	switch f.x[17] {
	case bmSysWrite:
		return bmWrite(int32(a[0]), uintptr(a[1]), int(a[2]))
	case bmSysRead:
		return bmRead(int32(a[0]), uintptr(a[1]), int(a[2]))
	case bmSysMmap:
		return bmMmap(uintptr(a[0]), uintptr(a[1]), int32(a[3]), int32(a[4]))
	case bmSysMunmap:
		return bmMunmap(uintptr(a[0]), uintptr(a[1]))
	case bmSysClockGettime:
		return bmClockGettime(int32(a[0]), uintptr(a[1]))
	case bmSysGettimeofday:
		return bmGettimeofday(uintptr(a[0]))
	case bmSysNanosleep:
		return bmNanosleep(uintptr(a[0]))
	case bmSysClockNanosleep:
		return bmNanosleep(uintptr(a[2]))
	case bmSysFutex:
		return bmFutex(uintptr(a[0]), int32(a[1]), uint32(a[2]), uintptr(a[3]))
	case bmSysEpollPwait:
		return bmEpollPwait(uintptr(a[1]), int32(a[2]), int32(a[3]))
	case bmSysEpollCtl:
		return bmEpollCtl(int32(a[1]), int32(a[2]), uintptr(a[3]))
	case bmSysEpollCreate1:
		return bmFdEpoll
	case bmSysEventfd2:
		return bmFdEventfd
	case bmSysFcntl:
		return bmFcntl(int32(a[0]), int32(a[1]))
	case bmSysSchedGetaffin:
		return bmSchedGetaffinity(uintptr(a[1]), uintptr(a[2]))
	case bmSysGetrandom:
		return bmGetrandom(uintptr(a[0]), uintptr(a[1]))
	case bmSysRtSigaction: // no signals: the old action is "default"
		bmZero(uintptr(a[2]), unsafe.Sizeof(sigactiont{}))
		return 0
	case bmSysRtSigprocmask:
		bmZero(uintptr(a[2]), 8)
		return 0
	case bmSysSigaltstack:
		bmZero(uintptr(a[1]), unsafe.Sizeof(stackt{}))
		return 0
	case bmSysExit, bmSysExitGroup:
		bmExit(int32(a[0]))
	case bmSysSchedYield, bmSysMadvise, bmSysMprotect, bmSysClose, bmSysKill,
		bmSysTkill, bmSysTgkill, bmSysSetitimer, bmSysTimerSettime, bmSysTimerDelete:
		return 0
	case bmSysGetpid, bmSysGettid, bmSysSetTidAddress:
		return 1
	case bmSysOpenat:
		return -bmENOENT
	case bmSysIoctl:
		return -bmENOTTY
	}
	bmStats.unknownSys.Add(1)
	bmStats.lastUnknown.Store(f.x[17])
	bmNoteUnknown(f.x[17])
	return -bmENOSYS
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmZero(p, n uintptr) {
	if p != 0 {
		memclrNoHeapPointers(unsafe.Pointer(p), n)
	}
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmWrite(fd int32, p uintptr, n int) int64 {
	switch fd {
	case bmFdStdout, bmFdStderr:
		b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
		for _, c := range b {
			if c == '\n' {
				bmConsolePutc('\r')
			}
			bmConsolePutc(c)
		}
		return int64(n)
	case bmFdEventfd: // netpollBreak: nothing sleeps on another hart
		return int64(n)
	}
	return -bmEBADF
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmRead(fd int32, p uintptr, n int) int64 {
	switch fd {
	case bmFdStdin:
		got := bmRxRead(unsafe.Slice((*byte)(unsafe.Pointer(p)), n))
		if got == 0 {
			return -bmEAGAIN
		}
		return int64(got)
	case bmFdEventfd:
		return -bmEAGAIN
	}
	return -bmEBADF
}

// bmFcntl reports fd 0 as non-blocking, which makes package os put the
// console on the runtime's poller: reads park the goroutine and the
// epoll emulation wakes it when the UART interrupt delivered input.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmFcntl(fd, cmd int32) int64 {
	if cmd == bmFGetfl && fd == bmFdStdin {
		return bmONonblock | 2 // O_RDWR
	}
	if cmd == bmFGetfl {
		return 2
	}
	return 0
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmEpollCtl(op, fd int32, ev uintptr) int64 {
	if fd != bmFdStdin {
		return 0
	}
	switch op {
	case bmEpollAdd, bmEpollMod:
		bmEpoll.stdinData = *(*uint64)(unsafe.Pointer(ev + 8))
		bmEpoll.stdinWatched = true
	case bmEpollDel:
		bmEpoll.stdinWatched = false
	}
	return 0
}

// bmEpollPwait waits up to timeoutMs (-1: forever) for console input.
// An event is edge-triggered, as the runtime registers it (EPOLLET).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmEpollPwait(events uintptr, max, timeoutMs int32) int64 {
	watch := bmEpoll.stdinWatched && max > 0
	if timeoutMs != 0 {
		deadline := ^uint64(0)
		if timeoutMs > 0 {
			deadline = bmMtime() + bmNsToTicks(int64(timeoutMs)*1e6)
		}
		bmIdle(deadline, watch)
	}
	if watch && bmRx.edge.Load() {
		bmRx.edge.Store(false)
		*(*uint32)(unsafe.Pointer(events)) = bmEpollIn
		*(*uint64)(unsafe.Pointer(events + 8)) = bmEpoll.stdinData
		return 1
	}
	return 0
}

// bmFutex: with one thread nobody else can wake a waiter, so FUTEX_WAIT
// just idles for the timeout (or one tick, as a spurious wakeup) and
// FUTEX_WAKE has nobody to wake.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmFutex(addr uintptr, op int32, val uint32, ts uintptr) int64 {
	if op&^128 != 0 { // not FUTEX_WAIT(_PRIVATE)
		return 0
	}
	if *(*uint32)(unsafe.Pointer(addr)) != val {
		return -bmEAGAIN
	}
	if ts == 0 {
		bmIdle(bmMtime()+bmBoard.timebase/100, true)
		return 0
	}
	bmIdle(bmMtime()+bmNsToTicks(bmTimespecNs(ts)), false)
	return -bmETIMEDOUT
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmNanosleep(ts uintptr) int64 {
	bmIdle(bmMtime()+bmNsToTicks(bmTimespecNs(ts)), false)
	return 0
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmTimespecNs(ts uintptr) int64 {
	p := (*[2]int64)(unsafe.Pointer(ts))
	return p[0]*1e9 + p[1]
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmClockGettime(clock int32, ts uintptr) int64 {
	ns := bmNanotime()
	if clock == bmClockRealtime {
		ns += bmWallOffset
	}
	p := (*[2]int64)(unsafe.Pointer(ts))
	p[0], p[1] = ns/1e9, ns%1e9
	return 0
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmGettimeofday(tv uintptr) int64 {
	ns := bmNanotime() + bmWallOffset
	p := (*[2]int64)(unsafe.Pointer(tv))
	p[0], p[1] = ns/1e9, ns%1e9/1e3
	return 0
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmSchedGetaffinity(size, mask uintptr) int64 {
	if size < 8 {
		return -bmEINVAL
	}
	bmZero(mask, size)
	*(*uint64)(unsafe.Pointer(mask)) = 1 // one CPU
	return 8
}

// bmGetrandom fills the buffer from a xorshift generator stirred with
// mtime. Good enough for hash seeds; not for cryptography.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmGetrandom(p, n uintptr) int64 {
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
	for i := range b {
		bmRandState ^= bmMtime()
		bmRandState ^= bmRandState << 13
		bmRandState ^= bmRandState >> 7
		bmRandState ^= bmRandState << 17
		b[i] = byte(bmRandState)
	}
	return int64(n)
}

var bmRandState uint64 = 0x2545f4914f6cdd1d

// bmUnknown lists the distinct unknown call numbers seen (first 8).
var bmUnknown [8]uint64

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmNoteUnknown(nr uint64) {
	for i := range bmUnknown {
		if bmUnknown[i] == nr+1 {
			return
		}
		if bmUnknown[i] == 0 {
			bmUnknown[i] = nr + 1
			return
		}
	}
}
