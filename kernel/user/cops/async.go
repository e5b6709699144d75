package cops

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/uabi"
	"copslab/kernel/user/internal/auxvdso"
	"copslab/sched"
	"copslab/uintr"
)

// Asynchronous system calls completed by user-space interrupts
// (package copslab/uintr; the kernel side is kernel/proc/uintr.go).
//
// When the kernel maps the process's Local and its vDSO has the
// interrupt handler, the first async call (or Async) registers a
// receiver (NR_COPS_UINTR_REGISTER: the kernel maps it right after the
// Local) and fills it: the vDSO's
// __vdso_cops_uintr_handler as the handler, a stack of its own, the
// executor's sleep word as Wake, the kernel's vector enabled. Then
//
//	n, err := c.Read(fd, buf)
//
// reads as if it were synchronous, but only the coroutine waits: under
// the Local's lock it marks io-submit, makes NR_COPS_ASYNC (the kernel
// returns 0 at once), blocks itself in the Local and releases the lock
// (steps S1–S4 of uintr/protocol.go, so its wakeup cannot come before it
// is Blocked); the executor runs other coroutines, or sleeps in the
// kernel when none is ready. When the kernel completes the call it
// queues the record and posts the interrupt; the handler (on whatever
// thread of the process the kernel delivers it) wakes the coroutine in
// the Local — or, if the lock is held, leaves the records to the
// holder, which drains them as it releases (every release here is
// uintr's Receiver.Unlock, from registration on: an executor that never
// makes an async call keeps its one-store release). The woken coroutine
// takes its result from the receiver by its slot.
//
// Without a receiver (no copslab kernel, or a Local in the program's own
// memory) the same calls are plain synchronous system calls.

// handlerStack is the size of the handler's own stack.
const handlerStack = 64 << 10

// setupUintr registers and fills the process's receiver (see above),
// once; the executor keeps synchronous calls if anything is missing.
func (ex *Executor) setupUintr() {
	if !ex.canAsync {
		return
	}
	ex.canAsync = false
	va, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_REGISTER, 0, 0, 0)
	if e != 0 || va != uintptr(unsafe.Pointer(ex.l))+sched.LocalSize {
		return
	}
	base, syms, err := auxvdso.Image()
	h, ok := syms["__vdso_cops_uintr_handler"]
	if err != nil || !ok {
		return
	}
	stack, err := syscall.Mmap(-1, 0, handlerStack, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return
	}
	r := (*uintr.Receiver)(*(*unsafe.Pointer)(unsafe.Pointer(&va))) // kernel-mapped memory, outside Go's heap
	r.Handler = uint64(base) + h
	r.Stack = uint64(uintptr(unsafe.Pointer(&stack[0]))) + handlerStack
	r.Wake = uint64(uintptr(unsafe.Pointer(&ex.sleeping)))
	atomic.StoreUint64(&r.Enable, 1<<uintr.VecKernel)
	atomic.StoreUint32(&r.Ctl, uintr.CtlUIE)
	ex.rcv, ex.stack = r, stack
}

// drained counts the records the receiver's releases and handlers have
// drained (0 without one).
func (ex *Executor) drained() uint64 {
	if ex.rcv == nil {
		return 0
	}
	return atomic.LoadUint64(&ex.rcv.Drained)
}

// Receiver returns the process's receiver (nil: none), for its counters.
func (ex *Executor) Receiver() *uintr.Receiver { return ex.rcv }

// Async reports whether the executor's Read, Write and Sleep are async
// calls (the process has a receiver, registered now if not yet).
func (ex *Executor) Async() bool {
	ex.setupUintr()
	return ex.rcv != nil
}

// Read reads from fd into b as read(2) does; only c waits.
func (c *Co) Read(fd int, b []byte) (int, error) {
	var pin runtime.Pinner
	defer pin.Unpin()
	return c.call(uabi.SYS_READ, uintptr(fd), pinned(&pin, b), uintptr(len(b)))
}

// Write writes b to fd as write(2) does; only c waits.
func (c *Co) Write(fd int, b []byte) (int, error) {
	var pin runtime.Pinner
	defer pin.Unpin()
	return c.call(uabi.SYS_WRITE, uintptr(fd), pinned(&pin, b), uintptr(len(b)))
}

// Sleep pauses c for d (nanosleep); the other coroutines run meanwhile.
func (c *Co) Sleep(d time.Duration) error {
	var pin runtime.Pinner
	defer pin.Unpin()
	ts := &syscall.Timespec{Sec: int64(d / time.Second), Nsec: int64(d % time.Second)}
	pin.Pin(ts)
	_, err := c.call(uabi.SYS_NANOSLEEP, uintptr(unsafe.Pointer(ts)), 0, 0)
	return err
}

// pinned pins b's array and returns its address for an async call.
//
// The kernel reads or writes an async call's memory after the call has
// returned to the executor: when the call had to wait, at its completion,
// while the coroutine is parked. A coroutine's stack is a goroutine stack,
// which Go moves when it grows or shrinks (the garbage collector shrinks
// the stacks of parked goroutines), so a buffer on it would be left
// behind: the kernel would write a request into the old copy, or send a
// response from it. Pinning makes the array a heap object that stays put
// until the call is over (Pin takes an interface, so b's array escapes to
// the heap at the caller), as Go's rules for memory handed to the kernel
// beyond a system call ask.
func pinned(pin *runtime.Pinner, b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	pin.Pin(&b[0])
	return uintptr(unsafe.Pointer(&b[0]))
}

// call makes system call nr async (steps S1–S4), or synchronously where
// the process has no receiver or c is a step function (no stack to wait
// on). The memory the kernel uses later is pinned by the caller (pinned).
func (c *Co) call(nr, a0, a1, a2 uintptr) (int, error) {
	ex := c.ex
	ex.setupUintr()
	if ex.rcv == nil || c.step != nil {
		r, _, e := syscall.Syscall(nr, a0, a1, a2)
		if e != 0 {
			return 0, e
		}
		return int(r), nil
	}
	ex.key++
	key := ex.key
	var ctx sched.Ctx
	for {
		ex.lock() // S1
		ctx = ex.ctx()
		ex.l.Mark(ctx, c.id, sched.CauseIOSubmit, sched.NoWaker, key) // S2
		_, _, e := syscall.RawSyscall6(uabi.NR_COPS_ASYNC, nr, a0, a1, a2, uintptr(key), uintptr(c.id))
		if e == 0 {
			break
		}
		ex.unlock()
		if e != syscall.EAGAIN {
			return 0, fmt.Errorf("cops: async call %d: %w", nr, e)
		}
		// Every slot of the completion ring is spoken for (RingRecs calls
		// in flight or undrained): wait until one of those calls has
		// completed and taken its result (slotFreed), then try again.
		// (Yielding instead would spin while every other coroutine waits
		// for its own call, keeping the hart from whoever completes them.)
		c.awaitSlot()
	}
	if e := ex.o.Block(ex.l, ctx, c.id, key); e != sched.OK { // S3
		ex.unlock()
		panic(fmt.Sprintf("cops: blocking coroutine %d for its async call: %v", c.id, e))
	}
	ex.unlock() // S4 (Receiver.Unlock)
	c.back = backBlocked
	c.yield(struct{}{})
	k, res := ex.rcv.Result(c.id)
	ex.slotFreed(c)
	if k != key {
		return 0, fmt.Errorf("cops: coroutine %d woken with the result of call %d, not of its call %d", c.id, k, key)
	}
	if res < 0 {
		return 0, syscall.Errno(-res)
	}
	return int(res), nil
}

// awaitSlot blocks c until a call in flight completes (slotFreed wakes
// the waiters in the order they came).
func (c *Co) awaitSlot() {
	if c.slotEv == nil {
		c.slotEv = c.ex.NewEvent()
	}
	c.ex.slotWait = append(c.ex.slotWait, c)
	c.ex.slotWaits++
	c.Await(c.slotEv)
}

// slotFreed is called by c once its async call's result is taken: that
// call's ring slot is free again, so the first coroutine waiting for a
// slot may try its call.
func (ex *Executor) slotFreed(c *Co) {
	if len(ex.slotWait) == 0 {
		return
	}
	w := ex.slotWait[0]
	ex.slotWait = ex.slotWait[1:]
	c.Notify(w.slotEv)
}

// SlotWaits returns how often a coroutine waited for a free slot of the
// completion ring (its async call refused while RingRecs were in flight).
func (ex *Executor) SlotWaits() uint64 { return ex.slotWaits }
