// Command vdsosched calls the scheduler through the vDSO: it finds the
// image the kernel maps (AT_SYSINFO_EHDR), resolves the scheduler's
// functions among its dynamic symbols, and runs the same random sequence
// of operations on two Locals — one through its own compiled copy of
// package sched, one through the vDSO's machine code — comparing every
// result and every byte of the two after each step:
//
//	vdsosched: ok: 20000 operations agree, 2129 of them succeeded (34 exports at 0x3fffff1000); Yield+Fetch: 320 instructions through the vDSO, 320 direct; Switch: 280 through the vDSO
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

	"copslab/kernel/user/internal/hpm"
	"copslab/kernel/user/internal/schedops"
	"copslab/sched"
)

func main() {
	n := flag.Int("n", 20000, "random operations")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	v, base, exports, err := schedops.VDSO()
	if err != nil {
		fmt.Println("vdsosched:", err)
		os.Exit(2)
	}
	ok, err := compare(schedops.Direct, v, *n, *seed)
	if err != nil {
		fmt.Println("vdsosched: FAIL:", err)
		os.Exit(1)
	}
	vi, di, si := switchCost(v, false), switchCost(schedops.Direct, false), switchCost(v, true)
	fmt.Printf("vdsosched: ok: %d operations agree, %d of them succeeded (%d exports at %#x); Yield+Fetch: %d instructions through the vDSO, %d direct; Switch: %d through the vDSO\n",
		*n, ok, exports, base, vi, di, si)
}

// compare runs the same random operations through a and b on two
// Locals and fails at the first difference in a result or a byte.
func compare(a, b schedops.Ops, n int, seed int64) (succeeded int, err error) {
	var la, lb sched.Local
	la.Init(1)
	lb.Init(1)
	tag := sched.LockTag(0, true)
	if !a.TryLock(&la, tag) || !b.TryLock(&lb, tag) {
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
		op := rnd.Intn(9)
		switch op {
		case 0, 1:
			prio, waker := uint8(rnd.Intn(9)), pick()
			ia, ea := a.Spawn(&la, c, sched.KindUser, prio, waker)
			ib, eb := b.Spawn(&lb, c, sched.KindUser, prio, waker)
			ra, rb = [2]uint64{uint64(ia), uint64(ea)}, [2]uint64{uint64(ib), uint64(eb)}
			if ea == sched.OK {
				ids = append(ids, ia)
			}
		case 2:
			ia, ea := a.Fetch(&la, c)
			ib, eb := b.Fetch(&lb, c)
			ra, rb = [2]uint64{uint64(ia), uint64(ea)}, [2]uint64{uint64(ib), uint64(eb)}
		case 3:
			id := pick()
			ra[0], rb[0] = uint64(a.Yield(&la, c, id)), uint64(b.Yield(&lb, c, id))
		case 4:
			id, arg := pick(), rnd.Uint64()
			ra[0], rb[0] = uint64(a.Block(&la, c, id, arg)), uint64(b.Block(&lb, c, id, arg))
		case 5:
			id, cause, waker, arg := pick(), sched.Cause(rnd.Intn(int(sched.NumCauses)+1)), pick(), rnd.Uint64()
			ra[0], rb[0] = uint64(a.Wake(&la, c, id, cause, waker, arg)), uint64(b.Wake(&lb, c, id, cause, waker, arg))
		case 6:
			id := pick()
			ra[0], rb[0] = uint64(a.Exit(&la, c, id)), uint64(b.Exit(&lb, c, id))
		case 7:
			id, prio := pick(), uint8(rnd.Intn(9))
			ra[0], rb[0] = uint64(a.SetPrio(&la, c, id, prio)), uint64(b.SetPrio(&lb, c, id, prio))
		case 8:
			id := pick()
			ia, ea := a.Switch(&la, c, id)
			ib, eb := b.Switch(&lb, c, id)
			ra, rb = [2]uint64{uint64(ia), uint64(ea)}, [2]uint64{uint64(ib), uint64(eb)}
		}
		if ra != rb {
			return succeeded, fmt.Errorf("operation %d (kind %d): direct %v, vDSO %v", i, op, ra, rb)
		}
		if !bytes.Equal(la.Bytes(), lb.Bytes()) {
			return succeeded, fmt.Errorf("operation %d (kind %d): the Locals differ", i, op)
		}
		if (op <= 2 || op == 8) && ra[1] == uint64(sched.OK) || op > 2 && op < 8 && ra[0] == uint64(sched.OK) {
			succeeded++
		}
	}
	return succeeded, nil
}

// switchCost is the instructions of one Yield+Fetch pair (the Local's
// part of a coroutine switch) through o, or of one Switch (the same in
// one call) with one, averaged over 1000.
func switchCost(o schedops.Ops, one bool) uint64 {
	var l sched.Local
	l.Init(1)
	o.TryLock(&l, sched.LockTag(0, true))
	var c sched.Ctx
	o.Spawn(&l, c, sched.KindUser, 3, 0)
	o.Spawn(&l, c, sched.KindUser, 3, 0)
	cur, _ := o.Fetch(&l, c)
	const rounds = 1000
	i0 := hpm.Instret()
	for range rounds {
		if one {
			cur, _ = o.Switch(&l, c, cur)
		} else {
			o.Yield(&l, c, cur)
			cur, _ = o.Fetch(&l, c)
		}
	}
	return (hpm.Instret() - i0) / rounds
}
