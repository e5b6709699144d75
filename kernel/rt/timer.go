//go:build copslab

package runtime

import (
	"internal/abi"
	"internal/runtime/atomic"
	"unsafe"
)

// CLINT offsets (SiFive CLINT; QEMU hw/intc/riscv_aclint.c), hart 0.
const (
	bmClintMtimecmp = 0x4000
	bmClintMtime    = 0xbff8
)

// bmTick is the periodic timer tick. Only trap context writes it.
var bmTick struct {
	period  uint64  // mtime units between ticks; 0 = ticks off
	next    uint64  // mtime of the next tick
	counter *uint64 // kernel's mirror (main.ticks); set before ticks start

	// Preemption: a goroutine that kept its P for preemptAfter ticks
	// (the P's schedtick did not move) is asked to yield, as sysmon's
	// retake would do.
	schedtick     uint32
	sameTicks     uint32
	preemptAfter  uint32
	preempts      atomic.Uint64 // synchronous requests made
	asyncPreempts atomic.Uint64 // asyncPreempt calls injected
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmMtime() uint64 { return bmLoad64(bmBoard.clint + bmClintMtime) }

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmSetMtimecmp(t uint64) { bmStore64(bmBoard.clint+bmClintMtimecmp+8*bmBootHart, t) }

// bmArmTimer programs mtimecmp for the next tick, or never.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmArmTimer() {
	if bmTick.period == 0 {
		bmSetMtimecmp(^uint64(0))
		return
	}
	bmSetMtimecmp(bmTick.next)
}

// bmTimerInterrupt counts a tick and re-arms the timer. f is the
// interrupted context (nil when called from the idle loop).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmTimerInterrupt(f *bmTrapFrame) {
	now := bmMtime()
	if bmTick.period != 0 && now >= bmTick.next {
		bmStats.timerIRQs.Add(1)
		if p := bmTick.counter; p != nil {
			atomic.Xadd64(p, 1)
		}
		bmTick.next += bmTick.period
		if bmTick.next <= now {
			bmTick.next = now + bmTick.period
		}
		if f != nil {
			bmMaybePreempt(f)
		}
	}
	bmArmTimer()
}

// bmMaybePreempt requests a synchronous preemption of the interrupted
// goroutine if it has been running for a while: the same two writes
// sysmon's preemptone makes. The goroutine yields at its next function
// prologue (newstack checks canPreemptM first).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmMaybePreempt(f *bmTrapFrame) {
	gp := (*g)(unsafe.Pointer(uintptr(f.x[27])))
	if gp == nil || gp.m == nil || gp != gp.m.curg || bmTick.preemptAfter == 0 {
		return
	}
	pp := gp.m.p.ptr()
	if pp == nil {
		return
	}
	if pp.schedtick != bmTick.schedtick {
		bmTick.schedtick = pp.schedtick
		bmTick.sameTicks = 0
		return
	}
	bmTick.sameTicks++
	if bmTick.sameTicks < bmTick.preemptAfter {
		return
	}
	if bmTick.sameTicks == bmTick.preemptAfter {
		gp.preempt = true
		gp.stackguard0 = stackPreempt
		bmTick.preempts.Add(1)
		return
	}
	// The request was not honoured for a whole tick: the goroutine runs
	// a loop without calls. Preempt asynchronously, as a Linux signal
	// would (doSigPreempt): if the pc is an async safe point, make the
	// goroutine call asyncPreempt, which saves every register.
	bmAsyncPreempt(gp, f)
}

// bmAsyncPreempt injects a call to asyncPreempt into the interrupted
// goroutine if it wants preemption and sits at an async safe point.
// isAsyncSafePoint is ordinary runtime code: it runs here on bmTrapG.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmAsyncPreempt(gp *g, f *bmTrapFrame) {
	if debug.asyncpreemptoff != 0 || !wantAsyncPreempt(gp) {
		return
	}
	ok, resume := isAsyncSafePoint(gp, uintptr(f.mepc), uintptr(f.x[2]), uintptr(f.x[1]))
	if !ok {
		return
	}
	// As sigctxt.pushCall (signal_riscv64.go).
	sp := f.x[2] - 8
	*(*uint64)(unsafe.Pointer(uintptr(sp))) = f.x[1]
	f.x[2] = sp
	f.x[1] = uint64(resume)
	f.mepc = uint64(abi.FuncPCABI0(asyncPreempt))
	bmTick.sameTicks = 0
	bmTick.asyncPreempts.Add(1)
}

// bmIdle is TamaGo's Idle hook: wait with wfi until mtime reaches
// deadline, serving interrupts in place (we are inside a trap, so they
// are not delivered). It returns early, reporting true, when console
// input arrives and wakeOnInput is set.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmIdle(deadline uint64, wakeOnInput bool) bool {
	start := bmMtime()
	woken := bmIdleLoop(deadline, wakeOnInput)
	bmStats.idle.Add(int64(bmMtime() - start))
	bmArmTimer()
	return woken
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmIdleLoop(deadline uint64, wakeOnInput bool) bool {
	for {
		if wakeOnInput && bmRx.edge.Load() {
			return true
		}
		if bmMtime() >= deadline {
			return false
		}
		cmp := deadline
		if bmTick.period != 0 && bmTick.next < cmp {
			cmp = bmTick.next
		}
		bmSetMtimecmp(cmp)
		bmWFI()
		bmPollInterrupts()
		bmKgdbIdlePoll()
	}
}

// bmPollInterrupts serves pending interrupts from inside a trap.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmPollInterrupts() {
	mip := bmReadMip()
	if mip&bmMipMEIP != 0 {
		bmInterrupt(bmIntMachineExt, nil)
	}
	if mip&bmMipMTIP != 0 {
		bmTimerInterrupt(nil)
	}
}

// bmStartTicks starts the periodic tick at hz (0: off).
func bmStartTicks(hz uint64, preemptAfter uint32) {
	if hz == 0 {
		bmTick.period = 0
	} else {
		bmTick.period = bmBoard.timebase / hz
		bmTick.next = bmMtime() + bmTick.period
	}
	bmTick.preemptAfter = preemptAfter
	bmArmTimer()
}
