package uintr

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copslab/sched"
)

// TestStressConcurrent: 4 processes, each an executor goroutine with 16
// coroutines doing async calls, and 2 kernel goroutines completing them
// in random order through one Emu (its lock = the kernel's), truly
// concurrently with the executors and their handlers (the real atomics of
// Tail, Head, Deferred and the lock word). An interrupt is taken at every
// step boundary of the executor where the kernel would deliver one (each
// Release step separately). 1,000,000 calls in all (-short: 40,000): none
// lost (the run would stop making progress), none duplicated (a wake of a
// coroutine that is not Blocked counts as Stray), each with its own result.
func TestStressConcurrent(t *testing.T) {
	perProc := 250_000
	if testing.Short() {
		perProc = 10_000
	}
	stress(t, emuStress{NewEmu()}, perProc)
}

// TestStressConcurrentNExt: the same through the N-extension back end
// and the fake core — each process on its own hart, the hart taking the
// interrupt at step boundaries, the handler acknowledging (controller
// bits and uip.USIP) before it drains, then uret.
func TestStressConcurrentNExt(t *testing.T) {
	perProc := 25_000
	if testing.Short() {
		perProc = 2_500
	}
	n, core := newNExt(t)
	stress(t, &nextStress{n, core}, perProc)
}

// stressBackend is a Controller plus how the process's hart takes an
// interrupt (called with the kernel's lock held).
type stressBackend interface {
	Controller
	// start puts proc on its hart; take reports whether the hart
	// diverts to the handler now; done returns from it.
	start(proc uint16) error
	take(proc uint16, r *Receiver) bool
	done(proc uint16)
}

type emuStress struct{ *Emu }

func (emuStress) start(uint16) error { return nil }
func (e emuStress) take(proc uint16, r *Receiver) bool {
	var f Frame
	if err := e.Enter(proc, 0, &f); err != nil {
		panic(err)
	}
	return f.PC == r.Handler
}
func (e emuStress) done(proc uint16) {
	var f Frame
	e.Return(proc, &f)
}

type nextStress struct {
	*NExt
	core *fakeCore
}

func (n *nextStress) start(proc uint16) error {
	var f Frame
	return n.Enter(proc, uint8(proc-1), &f)
}
func (n *nextStress) take(proc uint16, r *Receiver) bool {
	h := n.core.harts[proc-1]
	if _, took := h.take(0x10400); !took {
		return false
	}
	n.core.Clear(proc, ^uint64(0)) // acknowledge before draining
	h.csr[CSRUip] &^= UipUSIP
	return true
}
func (n *nextStress) done(proc uint16) { n.core.harts[proc-1].uret() }

func stress(t *testing.T, emu stressBackend, perProc int) {
	const nproc, ncos = 4, 16
	var mu sync.Mutex // the kernel's lock around the back end
	reqs := make(chan struct {
		proc uint16
		rec  Record
	}, 1024)
	var done sync.WaitGroup
	var stop atomic.Bool
	for k := 0; k < 2; k++ {
		go func(seed uint64) {
			rng := rand.New(rand.NewPCG(seed, 3))
			var held []struct {
				proc uint16
				rec  Record
			}
			for !stop.Load() {
				select {
				case q := <-reqs:
					held = append(held, q)
				case <-time.After(time.Millisecond):
				}
				for len(held) > 0 && (rng.IntN(3) == 0 || len(held) > 8 || len(reqs) == 0) {
					i := rng.IntN(len(held))
					q := held[i]
					held[i] = held[len(held)-1]
					held = held[:len(held)-1]
					mu.Lock()
					err := emu.Complete(q.proc, q.rec)
					mu.Unlock()
					if err != nil {
						panic(err)
					}
				}
			}
		}(uint64(k + 1))
	}
	errs := make([]error, nproc)
	progress := make([]atomic.Int64, nproc)
	for p := 0; p < nproc; p++ {
		done.Add(1)
		go func(p int) {
			defer done.Done()
			errs[p] = runStressProc(uint16(p+1), ncos, perProc, emu, &mu, &progress[p], func(proc uint16, rec Record) {
				reqs <- struct {
					proc uint16
					rec  Record
				}{proc, rec}
			})
		}(p)
	}
	finished := make(chan struct{})
	go func() { done.Wait(); close(finished) }()
	last, lastChange := int64(-1), time.Now()
	for waiting := true; waiting; {
		select {
		case <-finished:
			waiting = false
		case <-time.After(time.Second):
			var sum int64
			for i := range progress {
				sum += progress[i].Load()
			}
			if sum != last {
				last, lastChange = sum, time.Now()
			} else if time.Since(lastChange) > 2*time.Minute {
				stop.Store(true)
				t.Fatalf("no progress for 2 minutes at %d completions: a lost wakeup", sum)
			}
		}
	}
	stop.Store(true)
	for p, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v", p+1, err)
		}
	}
	t.Logf("%d async calls over %d processes, completed concurrently: none lost, none duplicated", nproc*perProc, nproc)
}

// runStressProc is one process: its executor, with the handler taken at
// step boundaries.
func runStressProc(proc uint16, ncos, total int, emu stressBackend, mu *sync.Mutex, progress *atomic.Int64, submit func(uint16, Record)) error {
	var l sched.Local
	var r Receiver
	l.Init(proc)
	r.Init()
	r.Ctl, r.Enable, r.Handler, r.Stack = CtlUIE, 1, 0x10100, 0x8f000
	mu.Lock()
	_, err := emu.Register(proc, &r, testSpace)
	if err == nil {
		err = emu.start(proc)
	}
	mu.Unlock()
	if err != nil {
		return err
	}
	tag, htag := sched.LockTag(0, true), sched.LockTag(0, true)|0x200
	c := sched.Ctx{}
	// interrupt is the kernel's return to user mode at a step boundary.
	rng := rand.New(rand.NewPCG(uint64(proc), 9))
	interrupt := func() {
		if rng.IntN(8) == 0 {
			runtime.Gosched() // widen the window: let the kernel complete something here
		}
		mu.Lock()
		took := emu.take(proc, &r)
		mu.Unlock()
		if !took {
			return
		}
		r.Handle(&l, c, htag)
		mu.Lock()
		emu.done(proc)
		mu.Unlock()
	}
	lock := func() error {
		interrupt()
		if !l.TryLock(tag) {
			return fmt.Errorf("executor found its lock held by %#x", l.Lock)
		}
		return nil
	}
	release := func() {
		for s := StepR1; s != StepDone; s = r.Next(&l, c, tag, s) {
			interrupt()
		}
	}
	ids := map[uint32]int{}
	want := make([]uint64, ncos)
	if err := lock(); err != nil {
		return err
	}
	for i := 0; i < ncos; i++ {
		id, e := l.Spawn(c, sched.KindUser, uint8(i%sched.NumPrio), sched.NoWaker)
		if e != sched.OK {
			return fmt.Errorf("spawn: %v", e)
		}
		ids[id] = i
	}
	release()
	key, completed, submitted := uint64(0), 0, 0
	for completed < total {
		if err := lock(); err != nil {
			return err
		}
		id, e := l.Fetch(c)
		release()
		if e == sched.ErrEmpty {
			if l.Bitmap != 0 { // the release drained and woke some
				continue
			}
			// sleep until the kernel has something to deliver
			for {
				mu.Lock()
				p := emu.Pending(proc)
				mu.Unlock()
				if p {
					break
				}
				runtime.Gosched()
			}
			continue
		}
		if e != sched.OK {
			return fmt.Errorf("fetch: %v", e)
		}
		i := ids[id]
		interrupt()
		if want[i] != 0 {
			if k, res := r.Result(id); k != want[i] || res != int64(k)^0x5a5a {
				return fmt.Errorf("coroutine %d woken with key %d result %d, want key %d", i, k, res, want[i])
			}
			want[i] = 0
			completed++
			progress.Add(1)
		}
		if err := lock(); err != nil {
			return err
		}
		if submitted == total {
			if e := l.Exit(c, id); e != sched.OK {
				return fmt.Errorf("exit: %v", e)
			}
			release()
			continue
		}
		// S1–S4: submit and block under the lock
		mu.Lock()
		err := emu.Reserve(proc)
		mu.Unlock()
		if err != nil {
			return fmt.Errorf("reserve: %v", err)
		}
		key++
		submitted++
		want[i] = key
		submit(proc, Record{Key: key, Result: int64(key) ^ 0x5a5a, Co: id, Op: OpRead})
		interrupt()
		if e := l.Block(c, id, key); e != sched.OK {
			return fmt.Errorf("block: %v", e)
		}
		release()
	}
	if r.Stray != 0 || r.Drained != uint64(total) {
		return fmt.Errorf("stray %d, drained %d of %d", r.Stray, r.Drained, total)
	}
	return nil
}
