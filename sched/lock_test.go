package sched

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentLockYield has several goroutines (standing in for harts and
// user processes) run coroutine life cycles in one region, each taking the
// lock the user-side way. The region must end consistent and empty.
func TestConcurrentLockYield(t *testing.T) {
	r := new(Region)
	r.Init()
	const workers, rounds = 4, 5000
	r.LockYield(99)
	for p := uint16(1); p <= workers; p++ {
		r.AddProc(p)
	}
	r.Unlock(99)
	var wg sync.WaitGroup
	errs := make(chan Errno, workers)
	for w := 1; w <= workers; w++ {
		wg.Add(1)
		go func(proc uint16) {
			defer wg.Done()
			tag := LockTag(uint8(proc), true)
			c := Ctx{Hart: uint8(proc)}
			for i := 0; i < rounds; i++ {
				r.LockYield(tag)
				_, e1 := r.Spawn(c, proc, KindUser, uint8(i%NumPrio), NoWaker)
				id, e2 := r.Fetch(c, proc)
				e3 := r.Yield(c, id)
				id, e4 := r.Fetch(c, proc)
				e5 := r.Exit(c, id)
				e6 := r.Unlock(tag)
				for _, e := range []Errno{e1, e2, e3, e4, e5, e6} {
					if e != OK {
						errs <- e
						return
					}
				}
			}
		}(uint16(w))
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	if r.LiveCos() != 0 || r.Seq != workers*rounds*5 || r.Lock != 0 {
		t.Fatalf("live %d seq %d lock %#x", r.LiveCos(), r.Seq, r.Lock)
	}
	if _, err := r.Snapshot(); err != nil {
		t.Fatal(err)
	}
}

func TestSpinLockGivesUp(t *testing.T) {
	r := new(Region)
	r.Init()
	if !r.TryLock(LockTag(0, false)) {
		t.Fatal("lock busy")
	}
	if r.SpinLock(LockTag(1, false), 100) || r.TryLock(LockTag(2, true)) {
		t.Fatal("a held lock was taken")
	}
	if e := r.Unlock(LockTag(1, false)); e != ErrNotLocked {
		t.Fatalf("non-owner unlock: %v", e)
	}
	if r.Unlock(LockTag(0, false)) != OK || !r.SpinLock(LockTag(1, false), 1) {
		t.Fatal("owner unlock or relock failed")
	}
}

// TestLockOrder: the order written in lock.go's comment is the lockOrder
// table, and the host Region's operations follow it: they refuse to run
// without the Global lock (ErrNotLocked, the Local untouched) and, with
// it, fail with ErrBusy instead of waiting when the Local's lock is held
// by someone else (the process), leaving both locks as they were.
func TestLockOrder(t *testing.T) {
	src, err := os.ReadFile("lock.go")
	if err != nil {
		t.Fatal(err)
	}
	if want := "//\t" + strings.Join(lockOrder, " → ") + "\n"; !strings.Contains(string(src), want) {
		t.Fatalf("lock.go's comment does not show the order %q", want)
	}
	r := new(Region)
	r.Init()
	if _, e := r.Spawn(Ctx{}, 0, KindKernelSyscall, 1, NoWaker); e != ErrNotLocked || r.Locals[0].Lock != 0 || r.Locals[0].Live != 0 {
		t.Fatalf("spawn without the Global lock: %v", e)
	}
	r.TryLock(LockTag(0, false))
	user := LockTag(0, true)
	r.Locals[0].TryLock(user)
	if _, e := r.Spawn(Ctx{}, 0, KindKernelSyscall, 1, NoWaker); e != ErrBusy {
		t.Fatalf("spawn with the Local held by another: %v", e)
	}
	if r.Lock != LockTag(0, false) || r.Locals[0].Lock != user || r.Locals[0].Live != 0 {
		t.Fatalf("locks %#x %#x after a refused operation", r.Lock, r.Locals[0].Lock)
	}
}
