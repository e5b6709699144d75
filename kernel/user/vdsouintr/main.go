// Command vdsouintr runs the user-interrupt handler's machine code from
// the vDSO (copslab/uintr: Handle, Unlock, HandlerEntry) beside its own
// compiled copy on two identical processes' pages (a sched.Local with its
// uintr.Receiver right after it), the program playing the kernel: it
// spawns and blocks coroutines, publishes completion records (some for
// coroutines that are not blocked, to exercise the stray count), holds
// the lock at times so the handler must defer, and after every round
// compares the two copies byte for byte:
//
//	vdsouintr: ok: 3000 rounds agree; 2799 wakes, 3197 stray, 737 deferred; handler 426 instructions through the vDSO (37 exports at 0x3fffff1000); C entry: woke its coroutine, kept s0-s10, uiret answered -38
//
// It also calls the handler's C entry, __vdso_cops_uintr_handler, once
// as a C function (see callEntry).
// It exits 1 on a mismatch and 2 when the vDSO lacks the handler. The
// kernel's delivery is not involved (it is not wired yet): this checks
// that the image's code for the handler runs in user mode and does what
// the host-tested Go does.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"unsafe"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/kernel/user/internal/cabi"
	"copslab/kernel/user/internal/hpm"
	"copslab/sched"
	"copslab/uintr"
	"copslab/vdso"
)

// pages is a process's Local with its receiver right after it.
type pages struct {
	l sched.Local
	r uintr.Receiver
}

func (p *pages) bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), unsafe.Sizeof(*p))
}

// handler is the handler's code as func values.
type handler struct {
	handle func(*uintr.Receiver, *sched.Local, sched.Ctx, uint32)
	unlock func(*uintr.Receiver, *sched.Local, sched.Ctx, uint32)
	entry  func(*vdso.Data, *uintr.Receiver, uintptr, uint64) uintptr
}

var direct = handler{(*uintr.Receiver).Handle, (*uintr.Receiver).Unlock, uintr.HandlerEntry}

// bind makes a func value of type F whose code is at pc.
func bind[F any](pc uintptr) F {
	fv := &struct{ pc uintptr }{pc}
	return *(*F)(unsafe.Pointer(&fv))
}

func fromVDSO() (h handler, base uintptr, n int, err error) {
	base, syms, err := auxvdso.Image()
	if err != nil {
		return h, 0, 0, err
	}
	var missing []string
	pc := func(name string) uintptr {
		v, ok := syms["copslab/uintr."+name]
		if !ok {
			missing = append(missing, name)
		}
		return base + uintptr(v)
	}
	h = handler{
		bind[func(*uintr.Receiver, *sched.Local, sched.Ctx, uint32)](pc("(*Receiver).Handle")),
		bind[func(*uintr.Receiver, *sched.Local, sched.Ctx, uint32)](pc("(*Receiver).Unlock")),
		bind[func(*vdso.Data, *uintr.Receiver, uintptr, uint64) uintptr](pc("HandlerEntry")),
	}
	if missing != nil {
		return h, base, len(syms), fmt.Errorf("the vDSO does not export %v", missing)
	}
	return h, base, len(syms), nil
}

func main() {
	n := flag.Int("n", 3000, "rounds")
	seed := flag.Int64("seed", 1, "random seed")
	self := flag.Bool("self", false, "compare the program's own code with itself (checks the program on any host)")
	flag.Parse()
	v, base, exports, err := fromVDSO()
	if *self {
		v, err = direct, nil
	}
	if err != nil {
		fmt.Println("vdsouintr:", err)
		os.Exit(2)
	}
	st, err := compare(v, *n, *seed)
	if err != nil {
		fmt.Println("vdsouintr: FAIL:", err)
		os.Exit(1)
	}
	entry := "none"
	if !*self {
		r, err := callEntry()
		if err != nil {
			fmt.Println("vdsouintr: FAIL:", err)
			os.Exit(1)
		}
		entry = fmt.Sprintf("woke its coroutine, kept s0-s10, uiret answered %d", int64(r))
	}
	fmt.Printf("vdsouintr: ok: %d rounds agree; %d wakes, %d stray, %d deferred; handler %d instructions through the vDSO (%d exports at %#x); C entry: %s\n",
		*n, st.wakes, st.stray, st.deferred, handleCost(v), exports, base, entry)
}

// callEntry calls the handler's C entry, __vdso_cops_uintr_handler, as
// the kernel's delivery enters it (a0 = receiver, a1 = hart) but with a
// plain call: it must drain and wake, keep the C callee-saved registers,
// and end in the uiret system call — which, outside a delivery, returns
// an error to the entry, whose ret comes back here. It returns that
// system call's result.
func callEntry() (uintptr, error) {
	base, syms, err := auxvdso.Image()
	if err != nil {
		return 0, err
	}
	off, ok := syms["__vdso_cops_uintr_handler"]
	if !ok {
		return 0, fmt.Errorf("no __vdso_cops_uintr_handler in the vDSO")
	}
	p := new(pages)
	p.l.Init(1)
	p.r.Init()
	tag := sched.LockTag(0, true)
	var c sched.Ctx
	p.l.TryLock(tag)
	id, _ := p.l.Spawn(c, sched.KindUser, 2, sched.NoWaker)
	p.l.Fetch(c)
	p.l.Block(c, id, 5)
	p.l.Unlock(tag)
	p.r.Recs[0] = uintr.Record{Co: id, Key: 5, Result: 11}
	p.r.Tail = 1
	r, clobbered := cabi.Call(base+uintptr(off), uintptr(unsafe.Pointer(&p.r)), 0)
	if s, _ := p.l.StateOf(id); s != sched.Ready || p.r.Head != 1 {
		return r, fmt.Errorf("C entry: coroutine %v, head %d", s, p.r.Head)
	}
	if clobbered != 0 {
		return r, fmt.Errorf("C entry clobbered callee-saved registers %#x", clobbered)
	}
	if int64(r) >= 0 {
		return r, fmt.Errorf("C entry: the uiret outside a delivery answered %d, want an error", int64(r))
	}
	return r, nil
}

type stats struct{ wakes, stray, deferred int }

// compare plays the same rounds on two copies, one handled by the
// program's own code, one by the vDSO's.
func compare(v handler, n int, seed int64) (st stats, err error) {
	var a, b pages
	for _, p := range []*pages{&a, &b} {
		p.l.Init(1)
		p.r.Init()
	}
	rnd := rand.New(rand.NewSource(seed))
	tag := sched.LockTag(0, true)
	var blocked, all []uint32
	var data vdso.Data
	for i := range n {
		c := sched.Ctx{Now: uint64(i) * 1000}
		// the executor: spawn, or fetch one and block it on a key
		k, prio := rnd.Intn(4), uint8(rnd.Intn(sched.NumPrio))
		key := rnd.Uint64()
		spawn := k == 0 && len(all) < 200
		for _, p := range []*pages{&a, &b} {
			p.l.TryLock(tag)
			if spawn {
				id, e := p.l.Spawn(c, sched.KindUser, prio, sched.NoWaker)
				if e == sched.OK && p == &a {
					all = append(all, id)
				}
			} else if id, e := p.l.Fetch(c); e == sched.OK {
				p.l.Block(c, id, key)
				if p == &a {
					blocked = append(blocked, id)
				}
			}
			p.l.Unlock(tag)
		}
		// the kernel: publish up to 4 records (a stale or running id at times)
		for j := rnd.Intn(5); j > 0 && a.r.Tail-a.r.Head < uintr.RingRecs; j-- {
			rec := uintr.Record{Key: rnd.Uint64(), Result: rnd.Int63(), Op: uintr.OpRead}
			if len(blocked) > 0 && rnd.Intn(8) != 0 {
				x := rnd.Intn(len(blocked))
				rec.Co = blocked[x]
				blocked = append(blocked[:x], blocked[x+1:]...)
			} else if len(all) > 0 {
				rec.Co = all[rnd.Intn(len(all))]
			}
			for _, p := range []*pages{&a, &b} {
				rec.Seq = p.r.Tail
				p.r.Recs[p.r.Tail%uintr.RingRecs] = rec
				p.r.Tail++
			}
		}
		// the interrupt: sometimes it lands while the executor holds the
		// lock (the handler defers; the release drains)
		held := rnd.Intn(4) == 0
		viaEntry := rnd.Intn(2) == 0
		for _, p := range []*pages{&a, &b} {
			h := direct
			if p == &b {
				h = v
			}
			if held {
				p.l.TryLock(tag)
			}
			if viaEntry {
				if r := h.entry(&data, &p.r, 0, 0); r != vdso.Syscall {
					return st, fmt.Errorf("round %d: HandlerEntry returned %d, want the uiret", i, r)
				}
			} else {
				h.handle(&p.r, &p.l, c, uintr.HandlerTag(0))
			}
			if held {
				if p.r.Deferred != 1 {
					return st, fmt.Errorf("round %d: the handler did not defer under a held lock", i)
				}
				h.unlock(&p.r, &p.l, c, tag)
			}
		}
		if held {
			st.deferred++
		}
		if !bytes.Equal(a.bytes(), b.bytes()) {
			return st, fmt.Errorf("round %d (held %v, entry %v): the two processes' pages differ", i, held, viaEntry)
		}
		if a.r.Head != a.r.Tail || a.l.Lock != 0 {
			return st, fmt.Errorf("round %d: head %d tail %d lock %#x", i, a.r.Head, a.r.Tail, a.l.Lock)
		}
		// woken coroutines may run again
		var still []uint32
		for _, id := range blocked {
			if s, _ := a.l.StateOf(id); s == sched.Blocked {
				still = append(still, id)
			}
		}
		blocked = still
	}
	st.wakes, st.stray = int(a.r.Drained-a.r.Stray), int(a.r.Stray)
	return st, nil
}

// handleCost is the instructions of one Handle that drains and wakes one
// coroutine, through h, averaged over 1000.
func handleCost(h handler) uint64 {
	var p pages
	p.l.Init(1)
	p.r.Init()
	tag := sched.LockTag(0, true)
	var c sched.Ctx
	p.l.TryLock(tag)
	id, _ := p.l.Spawn(c, sched.KindUser, 3, sched.NoWaker)
	p.l.Unlock(tag)
	var total uint64
	const rounds = 1000
	for range rounds {
		p.l.TryLock(tag)
		p.l.Fetch(c)
		p.l.Block(c, id, 1)
		p.l.Unlock(tag)
		p.r.Recs[p.r.Tail%uintr.RingRecs] = uintr.Record{Co: id, Key: 1}
		p.r.Tail++
		i0 := hpm.Instret()
		h.handle(&p.r, &p.l, c, uintr.HandlerTag(0))
		total += hpm.Instret() - i0
	}
	return total / rounds
}
