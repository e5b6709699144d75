package sched

import (
	"runtime"
	"sync/atomic"
)

// The region lock is one 32-bit word (Region.Lock) updated with atomic
// compare-and-swap, which is a single LR/SC or AMO sequence on RISC-V and
// works across harts and across the kernel/user boundary because both map
// the same physical word.
//
// Lock order: the region lock is a leaf. No other lock may be taken while
// it is held, and nothing that can sleep or fault may run under it. (The
// only other lock, co.Executor.mu, is a leaf too: the two are never held
// together.)
//
// Who may spin: the kernel may spin (SpinLock) because it holds the lock
// only with interrupts off for a bounded number of instructions. User code
// may be preempted while holding the lock, so a user-side waiter must not
// spin on it forever: it calls TryLock and, when that fails, gives its hart
// away (LockYield on the host, a yield system call in a real process).

// LockTag returns the owner tag stored in Region.Lock: never 0, so a free
// lock and a held one are always distinguishable, and a dump shows who
// holds it (hart+1, plus 0x100 for user mode).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func LockTag(hart uint8, user bool) uint32 {
	t := uint32(hart) + 1
	if user {
		t |= 0x100
	}
	return t
}

// TryLock takes the region lock for tag if it is free. Tag 0 is the free
// value itself and never takes the lock.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) TryLock(tag uint32) bool {
	return tag != 0 && atomic.CompareAndSwapUint32(&r.Lock, 0, tag)
}

// SpinLock tries up to limit times to take the lock; kernel side only.
// It reports whether the lock was taken.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) SpinLock(tag uint32, limit int) bool {
	if tag == 0 {
		return false
	}
	for i := 0; i < limit; i++ {
		if atomic.CompareAndSwapUint32(&r.Lock, 0, tag) {
			return true
		}
	}
	return false
}

// Unlock releases the lock held by tag. It returns ErrNotLocked and leaves
// the lock alone if tag is not the owner (tag 0 never owns it).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) Unlock(tag uint32) Errno {
	if tag != 0 && atomic.CompareAndSwapUint32(&r.Lock, tag, 0) {
		return OK
	}
	return ErrNotLocked
}

// held reports whether anyone holds the lock ("the region lock must be
// held" is asserted with it on the first line of every operation).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (r *Region) held() bool { return atomic.LoadUint32(&r.Lock) != 0 }

// LockYield takes the lock the user-side way: TryLock, and on failure yield
// the processor to whoever holds it. Host (Go) callers only.
func (r *Region) LockYield(tag uint32) {
	for !r.TryLock(tag) {
		runtime.Gosched()
	}
}
