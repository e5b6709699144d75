package sched

import (
	"runtime"
	"sync/atomic"
)

// Each region has one 32-bit lock word (Local.Lock, Global.Lock) updated
// with atomic compare-and-swap, which is a single LR/SC or AMO sequence on
// RISC-V and works across harts and across the kernel/user boundary
// because both map the same physical word.
//
// Lock order (outer first), the one place it is declared; lockOrder below
// is the same table as data and TestLockOrder checks the host Region's
// wrappers against it:
//
//	Global.Lock → Local.Lock
//
// The kernel takes Global.Lock and, for its own coroutines, the lock of its
// own Local (slot 0). It never takes a process's Local lock: it only reads
// process Locals (sample.go), so a process that holds its lock forever
// stalls only itself. The host Region's wrappers (host.go) take a Local
// lock inside Global.Lock. Both are leaves otherwise: nothing that can
// sleep or fault runs under them.
//
// Who may spin: the kernel may spin (SpinLock) because it holds a lock
// only with interrupts off for a bounded number of instructions. User code
// may be preempted while holding its Local's lock, so a user-side waiter
// must not spin on it forever: it calls TryLock and, when that fails,
// gives its hart away (LockYield on the host, a yield system call in a
// real process).

// lockOrder lists the locks outer first (see above).
var lockOrder = []string{"Global.Lock", "Local.Lock"}

// LockTag returns an owner tag for a lock word: never 0, so a free lock
// and a held one are always distinguishable, and a dump shows who holds it
// (hart+1, plus 0x100 for user mode).
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

// tryLock takes word w for tag if it is free. Tag 0 is the free value
// itself and never takes it.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func tryLock(w *uint32, tag uint32) bool {
	if tag == 0 || !atomic.CompareAndSwapUint32(w, 0, tag) {
		return false
	}
	// A no-op AMO (aq+rl on riscv64) after the CAS: the lock store is
	// visible to every hart before any store of the critical section, so
	// the kernel's lock-free reader (sample.go) that sees one of those
	// stores also sees the lock taken. Go has no fence intrinsic.
	atomic.AddUint32(w, 0)
	return true
}

// spinLock tries up to limit times to take w; kernel side only.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func spinLock(w *uint32, tag uint32, limit int) bool {
	for i := 0; i < limit; i++ {
		if tryLock(w, tag) {
			return true
		}
	}
	return false
}

// unlock releases w held by tag; ErrNotLocked (and w untouched) if tag is
// not the owner (tag 0 never owns it).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func unlock(w *uint32, tag uint32) Errno {
	if tag != 0 && atomic.CompareAndSwapUint32(w, tag, 0) {
		return OK
	}
	return ErrNotLocked
}

// TryLock takes the Local's lock for tag if it is free.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) TryLock(tag uint32) bool { return tryLock(&l.Lock, tag) }

// SpinLock tries up to limit times to take the Local's lock (the kernel,
// on its own Local only). It reports whether the lock was taken.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) SpinLock(tag uint32, limit int) bool { return spinLock(&l.Lock, tag, limit) }

// Unlock releases the Local's lock held by tag.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) Unlock(tag uint32) Errno { return unlock(&l.Lock, tag) }

// held reports whether anyone holds the Local's lock ("the lock must be
// held" is asserted with it on the first line of every operation).
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) held() bool { return atomic.LoadUint32(&l.Lock) != 0 }

// TryLock takes the kernel's lock for tag if it is free.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) TryLock(tag uint32) bool { return tryLock(&g.Lock, tag) }

// SpinLock tries up to limit times to take the kernel's lock.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) SpinLock(tag uint32, limit int) bool { return spinLock(&g.Lock, tag, limit) }

// Unlock releases the kernel's lock held by tag.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) Unlock(tag uint32) Errno { return unlock(&g.Lock, tag) }

// held reports whether anyone holds the kernel's lock.
//
// nosplit: kernel path, same rules as the vDSO's.
//
//go:nosplit
func (g *Global) held() bool { return atomic.LoadUint32(&g.Lock) != 0 }

// LockYield takes the lock the user-side way: TryLock, and on failure
// yield the processor to whoever holds it. Host (Go) callers only.
func (l *Local) LockYield(tag uint32) {
	for !l.TryLock(tag) {
		runtime.Gosched()
	}
}

// LockYield takes the host Region's (Global) lock the user-side way.
func (r *Region) LockYield(tag uint32) {
	for !r.TryLock(tag) {
		runtime.Gosched()
	}
}
