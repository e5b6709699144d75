package uintr

// A world for checking the handler/lock protocol (protocol.go): one
// process (its sched.Local and Receiver, the real code), its executor on
// hart 0, the handler that interrupts it, and the kernel on hart 1
// completing async calls through Emu. Every party advances one step at a
// time; a driver (exhaustive or random) picks which.

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"unsafe"

	"copslab/sched"
)

const modelProc = 1

// executor program counters.
const (
	eLock     = iota // TryLock, then Fetch
	eFetch           // Fetch the best ready coroutine
	eRelease         // one step of Release (R1..R4); then next
	eBody            // the fetched coroutine runs (lock not held)
	eSubLock         // S1
	eSubmit          // S2
	eBlock           // S3 (S4 is eRelease)
	eExitLock        // lock to exit
	eExit            // Exit
	eIdle            // nothing ready: sleep until a handler ran, or end
	eEnd
)

// variant changes the protocol to show the checks can fail.
type variant struct {
	name string
	// next replaces Receiver.Next (nil: the real one).
	next func(r *Receiver, l *sched.Local, c sched.Ctx, tag uint32, s Step) Step
	// blockLate submits, releases, and only then blocks (breaks S1–S4).
	blockLate bool
	// concurrent runs the handler on another hart than the executor:
	// their steps interleave (a lock holder the handler cannot wait for
	// and that can also not be waited for; the case H3 is for).
	concurrent bool
}

type world struct {
	l   sched.Local
	r   Receiver
	emu *Emu    // shared by all clones: load/store put ep in and out
	ep  emuProc // this world's kernel state of the process
	sp  *fakeSpace

	v       *variant
	nco     int
	ids     [8]uint32
	left    [8]uint8  // async ops still to do per coroutine
	want    [8]uint8  // ops per coroutine
	got     [8]uint8  // completions seen by the coroutine
	waiting [8]uint64 // key it waits for, 0 = none
	keys    uint64

	pc, next int
	rel      Step
	cur      int
	sleeping bool
	late     bool // blockLate: the block is still to do

	hActive bool
	hs      Step
	frame   Frame

	// the kernel: submitted calls not completed, a published record not posted yet
	sub   [16]Record
	nsub  int
	kpost bool

	err error
}

type fakeSpace struct{ lo, hi, stackLo, stackHi, tramp, recv, vdsoHandler uint64 }

func (s *fakeSpace) Text() (uint64, uint64) { return s.lo, s.hi }
func (s *fakeSpace) Writable(va, n uint64) bool {
	return va >= s.stackLo && va+n <= s.stackHi && va+n >= va
}
func (s *fakeSpace) Trampoline() uint64  { return s.tramp }
func (s *fakeSpace) Receiver() uint64    { return s.recv }
func (s *fakeSpace) VDSOHandler() uint64 { return s.vdsoHandler }

var testSpace = &fakeSpace{lo: 0x10000, hi: 0x20000, stackLo: 0x80000, stackHi: 0x90000, tramp: 0x3fff0000, recv: 0x3ffe0000, vdsoHandler: 0x3ffff1b80}

var (
	tagExec = sched.LockTag(0, true)
	tagHdlr = sched.LockTag(0, true) | 0x200
	ctx0    = sched.Ctx{Hart: 0}
)

// newWorld: nco coroutines doing ops async calls each.
func newWorld(nco, ops int, v *variant) *world {
	w := &world{sp: testSpace, v: v, nco: nco, emu: NewEmu()}
	w.l.Init(modelProc)
	w.r.Init()
	w.r.Ctl = CtlUIE
	w.r.Enable = 1 << VecKernel
	w.r.Handler = 0x10100
	w.r.Stack = 0x8f000
	if _, err := w.emu.Register(modelProc, &w.r, w.sp); err != nil {
		panic(err)
	}
	w.ep = w.emu.procs[modelProc]
	w.l.TryLock(tagExec)
	for i := 0; i < nco; i++ {
		id, e := w.l.Spawn(ctx0, sched.KindUser, uint8(i%sched.NumPrio), sched.NoWaker)
		if e != sched.OK {
			panic(e)
		}
		w.ids[i], w.left[i], w.want[i] = id, uint8(ops), uint8(ops)
	}
	w.l.Unlock(tagExec)
	w.cur = -1
	return w
}

// clone copies w (the receiver pointer inside Emu follows the copy).
func (w *world) clone() *world {
	c := *w
	c.ep.r = &c.r
	return &c
}

// load puts this world's process state into the shared Emu; store takes it back.
func (w *world) load() {
	w.ep.r = &w.r
	w.emu.procs[modelProc] = w.ep
}

func (w *world) store() { w.ep = w.emu.procs[modelProc] }

func (w *world) step(r *Receiver, tag uint32, s Step) Step {
	if w.v != nil && w.v.next != nil {
		return w.v.next(r, &w.l, ctx0, tag, s)
	}
	return r.Next(&w.l, ctx0, tag, s)
}

// action kinds.
const (
	actExec = iota
	actHandler
	actDeliver
	actPost
	actPublish // + index into sub
)

// actions lists what can happen next.
func (w *world) actions(buf []int) []int {
	w.load()
	buf = buf[:0]
	if w.err != nil {
		return buf
	}
	concurrent := w.v != nil && w.v.concurrent
	if w.hActive {
		buf = append(buf, actHandler)
	}
	if !w.hActive || concurrent {
		if !w.sleeping && w.pc != eEnd {
			buf = append(buf, actExec)
		}
	}
	if !w.hActive && w.emu.Pending(modelProc) {
		buf = append(buf, actDeliver)
	}
	if w.kpost {
		buf = append(buf, actPost)
	} else {
		for i := 0; i < w.nsub; i++ {
			buf = append(buf, actPublish+i)
		}
	}
	return buf
}

func (w *world) fail(format string, a ...any) { w.err = fmt.Errorf(format, a...) }

func (w *world) do(a int) {
	w.load()
	defer w.store()
	switch {
	case a == actExec:
		w.execStep()
	case a == actHandler:
		w.hs = w.step(&w.r, tagHdlr, w.hs)
		if w.hs == StepDone {
			if err := w.emu.Return(modelProc, &w.frame); err != nil {
				w.fail("uiret: %v", err)
			}
			if w.frame.PC != 0x10abc {
				w.fail("uiret restored pc %#x", w.frame.PC)
			}
			w.hActive, w.sleeping = false, false
		}
	case a == actDeliver:
		w.frame = Frame{PC: 0x10abc}
		if err := w.emu.Enter(modelProc, 0, &w.frame); err != nil {
			w.fail("deliver: %v", err)
		}
		if w.frame.PC != w.r.Handler {
			w.fail("Pending said deliverable but Enter did not divert")
		}
		w.hActive, w.hs = true, StepH1
	case a == actPost:
		w.emu.post(&w.emu.procs[modelProc], VecKernel)
		w.kpost = false
	default:
		i := a - actPublish
		w.emu.procs[modelProc].publish(w.sub[i])
		w.nsub--
		w.sub[i] = w.sub[w.nsub]
		w.kpost = true
	}
}

func (w *world) lock() bool {
	if !w.l.TryLock(tagExec) {
		if w.v != nil && w.v.concurrent {
			return false // the handler on the other hart holds it: try again
		}
		w.fail("executor found its lock held (by %#x)", w.l.Lock)
		return false
	}
	return true
}

func (w *world) release(next int) { w.pc, w.rel, w.next = eRelease, StepR1, next }

func (w *world) execStep() {
	switch w.pc {
	case eLock:
		if w.lock() {
			w.pc = eFetch
		}
	case eFetch:
		id, e := w.l.Fetch(ctx0)
		switch e {
		case sched.OK:
			w.cur = -1
			for i := 0; i < w.nco; i++ {
				if w.ids[i] == id {
					w.cur = i
				}
			}
			w.release(eBody)
		case sched.ErrEmpty:
			w.release(eIdle)
		default:
			w.fail("fetch: %v", e)
		}
	case eRelease:
		w.rel = w.step(&w.r, tagExec, w.rel)
		if w.rel == StepDone {
			w.pc = w.next
		}
	case eBody:
		i := w.cur
		if w.late {
			w.late = false
			w.pc = eSubLock // blockLate: now block
			return
		}
		if k := w.waiting[i]; k != 0 {
			if key, res := w.r.Result(w.ids[i]); key != k || res != int64(k)*3 {
				w.fail("coroutine %d woken with key %d result %d, want %d, %d", i, key, res, k, k*3)
			}
			w.waiting[i] = 0
			w.got[i]++
		}
		if w.left[i] > 0 {
			w.pc = eSubLock
		} else {
			w.pc = eExitLock
		}
	case eSubLock:
		if w.lock() {
			if w.waiting[w.cur] != 0 { // blockLate's second half
				w.pc = eBlock
			} else {
				w.pc = eSubmit
			}
		}
	case eSubmit:
		i := w.cur
		if err := w.emu.Reserve(modelProc); err != nil {
			w.fail("reserve: %v", err)
			return
		}
		w.keys++
		w.waiting[i] = w.keys
		w.left[i]--
		w.sub[w.nsub] = Record{Key: w.keys, Result: int64(w.keys) * 3, Co: w.ids[i], Op: OpRead}
		w.nsub++
		if w.v != nil && w.v.blockLate {
			w.late = true
			w.release(eBody)
			return
		}
		w.pc = eBlock
	case eBlock:
		if e := w.l.Block(ctx0, w.ids[w.cur], w.waiting[w.cur]); e != sched.OK {
			w.fail("block: %v", e)
		}
		w.release(eLock)
	case eExitLock:
		if w.lock() {
			w.pc = eExit
		}
	case eExit:
		if e := w.l.Exit(ctx0, w.ids[w.cur]); e != sched.OK {
			w.fail("exit: %v", e)
		}
		w.release(eLock)
	case eIdle:
		if w.l.Live == 0 {
			w.pc = eEnd
		} else if w.l.Bitmap != 0 {
			w.pc = eLock
		} else {
			w.pc, w.sleeping = eLock, true
		}
	}
}

// check judges a world where nothing can happen any more.
func (w *world) check() error {
	if w.err != nil {
		return w.err
	}
	if w.pc != eEnd {
		return fmt.Errorf("stuck: executor at %d (sleeping %v) with %d coroutines live and nothing to wake it: lost wakeup", w.pc, w.sleeping, w.l.Live)
	}
	for i := 0; i < w.nco; i++ {
		if w.got[i] != w.want[i] {
			return fmt.Errorf("coroutine %d saw %d completions, want %d", i, w.got[i], w.want[i])
		}
	}
	if w.r.Stray != 0 || w.r.Head != w.r.Tail || w.r.Deferred != 0 || w.l.Lock != 0 {
		return fmt.Errorf("end state: stray %d head %d tail %d deferred %d lock %#x", w.r.Stray, w.r.Head, w.r.Tail, w.r.Deferred, w.l.Lock)
	}
	return nil
}

var keySeed = maphash.MakeSeed()

// key hashes everything that decides the future.
func (w *world) key() uint64 {
	var h maphash.Hash
	h.SetSeed(keySeed)
	h.Write(w.l.Bytes())
	h.Write(unsafe.Slice((*byte)(unsafe.Pointer(&w.r)), recvUsed))
	p := &w.ep
	b := binary.LittleEndian.AppendUint64(nil, p.pending)
	b = binary.LittleEndian.AppendUint64(b, p.tail)
	b = binary.LittleEndian.AppendUint64(b, p.inflight)
	b = binary.LittleEndian.AppendUint64(b, w.keys)
	b = append(b, byte(w.pc), byte(w.next), byte(w.rel), byte(w.cur), byte(w.hs), byte(w.nsub),
		flag(p.inHandler)|flag(w.sleeping)<<1|flag(w.late)<<2|flag(w.hActive)<<3|flag(w.kpost)<<4)
	b = append(b, w.left[:]...)
	b = append(b, w.got[:]...)
	for i := range w.waiting {
		b = binary.LittleEndian.AppendUint64(b, w.waiting[i])
	}
	for _, r := range w.sub[:w.nsub] {
		b = binary.LittleEndian.AppendUint64(b, r.Key)
	}
	h.Write(b)
	return h.Sum64()
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}
