// Command vdsosched calls the scheduler through the vDSO: it finds the
// image the kernel maps (AT_SYSINFO_EHDR), resolves the scheduler's
// functions among its dynamic symbols, and runs the same random sequence
// of operations on two Locals — one through its own compiled copy of
// package sched, one through the vDSO's machine code — comparing every
// result and every byte of the two after each step:
//
//	vdsosched: ok: 20000 operations agree, 7000 of them succeeded (28 exports at 0x3fffff1000); Yield+Fetch: 316 instructions through the vDSO, 316 direct
//
// A call through a Go func value whose code word points into the vDSO is
// an ordinary Go call (the exports use Go's internal ABI of this very
// toolchain). It exits 1 on a mismatch and 2 when there is no vDSO with
// the scheduler (on Linux or qemu-user).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"unsafe"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/kernel/user/internal/hpm"
	"copslab/sched"
)

// ops are the scheduler's operations as func types; both tables hold
// the same functions, one set compiled into this program, one in the
// vDSO.
type ops struct {
	tryLock func(*sched.Local, uint32) bool
	spawn   func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)
	fetch   func(*sched.Local, sched.Ctx) (uint32, sched.Errno)
	yield   func(*sched.Local, sched.Ctx, uint32) sched.Errno
	block   func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno
	wake    func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno
	exit    func(*sched.Local, sched.Ctx, uint32) sched.Errno
	setPrio func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno
}

var direct = ops{(*sched.Local).TryLock, (*sched.Local).Spawn, (*sched.Local).Fetch, (*sched.Local).Yield,
	(*sched.Local).Block, (*sched.Local).Wake, (*sched.Local).Exit, (*sched.Local).SetPrio}

// bind makes a func value of type F whose code is at pc.
func bind[F any](pc uintptr) F {
	fv := &struct{ pc uintptr }{pc} // a funcval: its first word is the code
	return *(*F)(unsafe.Pointer(&fv))
}

func fromVDSO(base uintptr, syms map[string]uint64) (ops, error) {
	var missing []string
	pc := func(name string) uintptr {
		v, ok := syms["copslab/sched.(*Local)."+name]
		if !ok {
			missing = append(missing, name)
		}
		return base + uintptr(v)
	}
	o := ops{
		bind[func(*sched.Local, uint32) bool](pc("TryLock")),
		bind[func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)](pc("Spawn")),
		bind[func(*sched.Local, sched.Ctx) (uint32, sched.Errno)](pc("Fetch")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Yield")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno](pc("Block")),
		bind[func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno](pc("Wake")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Exit")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno](pc("SetPrio")),
	}
	if missing != nil {
		return o, fmt.Errorf("the vDSO does not export %v", missing)
	}
	return o, nil
}

func main() {
	n := flag.Int("n", 20000, "random operations")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	base, syms, err := auxvdso.Image()
	if err == nil {
		_, ok := syms["copslab/sched.(*Local).Spawn"]
		if !ok {
			err = fmt.Errorf("the vDSO has no scheduler")
		}
	}
	if err != nil {
		fmt.Println("vdsosched:", err)
		os.Exit(2)
	}
	v, err := fromVDSO(base, syms)
	if err != nil {
		fmt.Println("vdsosched:", err)
		os.Exit(2)
	}
	ok, err := compare(direct, v, *n, *seed)
	if err != nil {
		fmt.Println("vdsosched: FAIL:", err)
		os.Exit(1)
	}
	vi, di := switchCost(v), switchCost(direct)
	fmt.Printf("vdsosched: ok: %d operations agree, %d of them succeeded (%d exports at %#x); Yield+Fetch: %d instructions through the vDSO, %d direct\n",
		*n, ok, len(syms), base, vi, di)
}

// compare runs the same random operations through a and b on two
// Locals and fails at the first difference in a result or a byte.
func compare(a, b ops, n int, seed int64) (succeeded int, err error) {
	var la, lb sched.Local
	la.Init(1)
	lb.Init(1)
	tag := sched.LockTag(0, true)
	if !a.tryLock(&la, tag) || !b.tryLock(&lb, tag) {
		return 0, fmt.Errorf("lock not taken")
	}
	rnd := rand.New(rand.NewSource(seed))
	var ids []uint32
	pick := func() uint32 {
		if len(ids) == 0 || rnd.Intn(20) == 0 {
			return rnd.Uint32() // also stale and foreign ids
		}
		return ids[rnd.Intn(len(ids))]
	}
	for i := range n {
		c := sched.Ctx{Now: uint64(i) * 1000, Hart: 0}
		var ra, rb [2]uint64
		op := rnd.Intn(8)
		switch op {
		case 0, 1:
			prio, waker := uint8(rnd.Intn(9)), pick()
			ia, ea := a.spawn(&la, c, sched.KindUser, prio, waker)
			ib, eb := b.spawn(&lb, c, sched.KindUser, prio, waker)
			ra, rb = [2]uint64{uint64(ia), uint64(ea)}, [2]uint64{uint64(ib), uint64(eb)}
			if ea == sched.OK {
				ids = append(ids, ia)
			}
		case 2:
			ia, ea := a.fetch(&la, c)
			ib, eb := b.fetch(&lb, c)
			ra, rb = [2]uint64{uint64(ia), uint64(ea)}, [2]uint64{uint64(ib), uint64(eb)}
		case 3:
			id := pick()
			ra[0], rb[0] = uint64(a.yield(&la, c, id)), uint64(b.yield(&lb, c, id))
		case 4:
			id, arg := pick(), rnd.Uint64()
			ra[0], rb[0] = uint64(a.block(&la, c, id, arg)), uint64(b.block(&lb, c, id, arg))
		case 5:
			id, cause, waker, arg := pick(), sched.Cause(rnd.Intn(int(sched.NumCauses)+1)), pick(), rnd.Uint64()
			ra[0], rb[0] = uint64(a.wake(&la, c, id, cause, waker, arg)), uint64(b.wake(&lb, c, id, cause, waker, arg))
		case 6:
			id := pick()
			ra[0], rb[0] = uint64(a.exit(&la, c, id)), uint64(b.exit(&lb, c, id))
		case 7:
			id, prio := pick(), uint8(rnd.Intn(9))
			ra[0], rb[0] = uint64(a.setPrio(&la, c, id, prio)), uint64(b.setPrio(&lb, c, id, prio))
		}
		if ra != rb {
			return succeeded, fmt.Errorf("operation %d (kind %d): direct %v, vDSO %v", i, op, ra, rb)
		}
		if !bytes.Equal(la.Bytes(), lb.Bytes()) {
			return succeeded, fmt.Errorf("operation %d (kind %d): the Locals differ", i, op)
		}
		if op <= 2 && ra[1] == uint64(sched.OK) || op > 2 && ra[0] == uint64(sched.OK) {
			succeeded++
		}
	}
	return succeeded, nil
}

// switchCost is the instructions of one Yield+Fetch pair (the region's
// part of a coroutine switch) through o, averaged over 1000 pairs.
func switchCost(o ops) uint64 {
	var l sched.Local
	l.Init(1)
	o.tryLock(&l, sched.LockTag(0, true))
	var c sched.Ctx
	o.spawn(&l, c, sched.KindUser, 3, 0)
	o.spawn(&l, c, sched.KindUser, 3, 0)
	cur, _ := o.fetch(&l, c)
	const rounds = 1000
	i0 := hpm.Instret()
	for range rounds {
		o.yield(&l, c, cur)
		cur, _ = o.fetch(&l, c)
	}
	return (hpm.Instret() - i0) / rounds
}
