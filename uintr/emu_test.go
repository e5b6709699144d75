package uintr

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"copslab/sched"
	"copslab/vdso"
)

// procPages is a process's Local with its receiver right after it, as
// the kernel maps them.
type procPages struct {
	l sched.Local
	r Receiver
}

// newProc formats a process's Local and receiver (enabled, handler and
// stack in testSpace) and registers it with c.
func newProc(tb testing.TB, c Controller, proc uint16) (*sched.Local, *Receiver) {
	tb.Helper()
	pp := new(procPages)
	pp.l.Init(proc)
	pp.r.Init()
	pp.r.Ctl, pp.r.Enable, pp.r.Handler, pp.r.Stack = CtlUIE, ^uint64(0), 0x10100, 0x8f000
	if _, err := c.Register(proc, &pp.r, testSpace); err != nil {
		tb.Fatal(err)
	}
	return &pp.l, &pp.r
}

func newRecv(t *testing.T, c Controller, proc uint16) *Receiver {
	t.Helper()
	_, r := newProc(t, c, proc)
	return r
}

// TestSenderTable: a process posts only through a vector granted to it;
// entries die with either process; a grant does not outlive the
// receiver's registration.
func TestSenderTable(t *testing.T) {
	e := NewEmu()
	r := newRecv(t, e, 3)
	if err := e.Post(5, 0); !errors.Is(err, ErrNotGranted) {
		t.Fatalf("post without a grant: %v, want ErrNotGranted", err)
	}
	for _, idx := range []int{-1, SendersPerProc, 1 << 30} {
		if err := e.Post(5, idx); !errors.Is(err, ErrNotGranted) {
			t.Fatalf("post through index %d: %v", idx, err)
		}
	}
	if _, err := e.Grant(3, NVectors, 5); !errors.Is(err, ErrBadVector) {
		t.Fatalf("grant of vector %d: %v", NVectors, err)
	}
	if _, err := e.Grant(9, 1, 5); !errors.Is(err, ErrNotReg) {
		t.Fatalf("grant by a process without a receiver: %v", err)
	}
	idx, err := e.Grant(3, 7, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Post(6, idx); !errors.Is(err, ErrNotGranted) {
		t.Fatalf("another sender using process 5's index: %v", err)
	}
	if err := e.Post(5, idx); err != nil {
		t.Fatal(err)
	}
	if r.Pending != 1<<7 || !e.Pending(3) {
		t.Fatalf("pending mirror %#x, Pending %v", r.Pending, e.Pending(3))
	}
	// Re-registering (a new program in the slot) voids old grants.
	newRecv(t, e, 3)
	if err := e.Post(5, idx); !errors.Is(err, ErrNotGranted) {
		t.Fatalf("post after the receiver re-registered: %v", err)
	}
	idx, _ = e.Grant(3, 2, 5)
	e.Unregister(3)
	if err := e.Post(5, idx); !errors.Is(err, ErrNotGranted) {
		t.Fatalf("post after the receiver exited: %v", err)
	}
	newRecv(t, e, 4)
	for i := 0; i < SendersPerProc; i++ {
		if _, err := e.Grant(4, uint8(i), 5); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Grant(4, 0, 5); !errors.Is(err, ErrTableFull) {
		t.Fatalf("grant beyond the table: %v", err)
	}
}

// TestDelivery: divert, uiret restores the whole frame, interrupts off in
// the handler, what arrives meanwhile is delivered on the next return.
func TestDelivery(t *testing.T) {
	e := NewEmu()
	r := newRecv(t, e, 2)
	idx, _ := e.Grant(2, 9, 4)
	var f Frame
	for i := range f.X {
		f.X[i] = uint64(i) * 0x1111
	}
	f.PC = 0x12344
	orig := f
	if err := e.Enter(2, 0, &f); err != nil || f != orig {
		t.Fatalf("nothing pending: err %v, frame changed %v", err, f != orig)
	}
	e.Post(4, idx)
	r.Ctl = 0
	if e.Enter(2, 0, &f); f != orig || e.Pending(2) {
		t.Fatal("delivered (or boosted) with CtlUIE off")
	}
	r.Ctl = CtlUIE
	if !e.Pending(2) {
		t.Fatal("no boost with a deliverable interrupt")
	}
	if err := e.Enter(2, 1, &f); err != nil {
		t.Fatal(err)
	}
	if f.PC != r.Handler || f.X[RegSP] != r.Stack || f.X[RegRA] != testSpace.tramp || f.X[RegA0] != testSpace.recv || f.X[RegA1] != 1 || f.X[RegA2] != 1<<9 {
		t.Fatalf("diverted frame pc %#x sp %#x ra %#x a0 %#x a1 %d a2 %#x", f.PC, f.X[RegSP], f.X[RegRA], f.X[RegA0], f.X[RegA1], f.X[RegA2])
	}
	if e.Pending(2) || r.Pending != 0 {
		t.Fatal("still pending (boosted) after delivery")
	}
	e.Post(4, idx) // arrives inside the handler
	g := f
	if e.Enter(2, 1, &g); g != f {
		t.Fatal("nested delivery inside the handler")
	}
	for i := range f.X {
		f.X[i] = 0xdead // the handler clobbers everything
	}
	if err := e.Return(2, &f); err != nil || f != orig {
		t.Fatalf("uiret: %v, frame restored %v", err, f == orig)
	}
	if err := e.Return(2, &f); !errors.Is(err, ErrNotInHdlr) {
		t.Fatalf("second uiret: %v", err)
	}
	if err := e.Enter(2, 0, &f); err != nil || f.PC != r.Handler {
		t.Fatal("the interrupt that came inside the handler was not delivered next")
	}
	if st := e.Stats(2); st.Posted != 2 || st.Delivered != 2 || st.Returned != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestKills: a handler outside the text, a misaligned or unmapped stack,
// a Head moved where it cannot be: the process gets a Kill naming it and
// the reason; another process is not affected.
func TestKills(t *testing.T) {
	for _, c := range []struct {
		name string
		bad  func(r *Receiver)
		want string
	}{
		{"handler below text", func(r *Receiver) { r.Handler = 0x100 }, "process 2: user-interrupt handler 0x100 outside its text [0x10000, 0x20000)"},
		{"handler at text end", func(r *Receiver) { r.Handler = 0x20000 }, "outside its text"},
		{"handler misaligned", func(r *Receiver) { r.Handler = 0x10102 }, "outside its text"},
		{"handler next to the vDSO's", func(r *Receiver) { r.Handler = testSpace.vdsoHandler + 4 }, "outside its text"},
		{"stack unmapped", func(r *Receiver) { r.Stack = 0x40000 }, "handler stack 0x40000 is not"},
		{"stack misaligned", func(r *Receiver) { r.Stack = 0x8f008 }, "handler stack"},
		{"stack below 0", func(r *Receiver) { r.Stack = 16 }, "handler stack"},
	} {
		e := NewEmu()
		r := newRecv(t, e, 2)
		other := newRecv(t, e, 3)
		c.bad(r)
		e.Reserve(2)
		e.Reserve(3)
		e.Complete(2, Record{Co: 1})
		e.Complete(3, Record{Co: 1})
		var f Frame
		err := e.Enter(2, 0, &f)
		var k *Kill
		if !errors.As(err, &k) || k.Proc != 2 || !strings.Contains(k.Msg, c.want) {
			t.Errorf("%s: %v, want a Kill of process 2 saying %q", c.name, err, c.want)
		}
		if err := e.Enter(3, 1, &f); err != nil || f.PC != other.Handler {
			t.Errorf("%s: the other process: %v", c.name, err)
		}
	}
	e := NewEmu()
	r := newRecv(t, e, 2)
	r.Handler = testSpace.vdsoHandler // the vDSO's handler is accepted
	e.Reserve(2)
	e.Complete(2, Record{})
	var f Frame
	if err := e.Enter(2, 0, &f); err != nil || f.PC != testSpace.vdsoHandler {
		t.Fatalf("vDSO handler refused: %v", err)
	}
	e.Return(2, &f)
	e.Reserve(2)
	r.Head = 5 // ahead of the tail
	var k *Kill
	if err := e.Complete(2, Record{}); !errors.As(err, &k) || !strings.Contains(k.Msg, "process 2: user-interrupt receiver corrupt: Head 5") {
		t.Fatalf("Head ahead of Tail: %v", err)
	}
}

// TestRingAccounting: at most RingRecs calls in flight or undrained;
// a completion needs a reservation.
func TestRingAccounting(t *testing.T) {
	e := NewEmu()
	r := newRecv(t, e, 1)
	if err := e.Complete(1, Record{}); !errors.Is(err, ErrNoReserve) {
		t.Fatalf("completion without reservation: %v", err)
	}
	for i := 0; i < RingRecs; i++ {
		if err := e.Reserve(1); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := e.Reserve(1); !errors.Is(err, ErrBusy) {
		t.Fatalf("reservation %d: %v", RingRecs+1, err)
	}
	for i := 0; i < RingRecs; i++ {
		e.Complete(1, Record{Key: uint64(i)})
	}
	if err := e.Reserve(1); !errors.Is(err, ErrBusy) {
		t.Fatalf("reservation with a full undrained ring: %v", err)
	}
	r.Head = 10 // the process drained ten
	for i := 0; i < 10; i++ {
		if err := e.Reserve(1); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Reserve(1); !errors.Is(err, ErrBusy) {
		t.Fatal("over-reserved")
	}
	if r.Tail != RingRecs || r.Recs[RingRecs-1].Key != RingRecs-1 || r.Recs[3].Seq != 3 {
		t.Fatalf("tail %d", r.Tail)
	}
}

// TestScribbleHurtsOnlyItself: random bytes over one receiver, then
// completions and deliveries: never a panic, the kernel's truth (pending,
// tail) unchanged by the scribble, the other process's interrupts intact.
func TestScribbleHurtsOnlyItself(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := NewEmu()
	bad := newRecv(t, e, 1)
	good := newRecv(t, e, 2)
	kills := 0
	for round := 0; round < 3000; round++ {
		b := unsafe.Slice((*byte)(unsafe.Pointer(bad)), RecvSize)
		for i := 0; i < 1+rng.IntN(8); i++ {
			b[rng.IntN(OffRecs)] = byte(rng.Uint32())
		}
		if e.Reserve(1) == nil {
			if err := e.Complete(1, Record{}); err != nil {
				kills++
			}
		}
		var f Frame
		if err := e.Enter(1, 0, &f); err != nil {
			kills++
		}
		e.Return(1, &f)
		// the good one: complete, deliver, drain, return
		if err := e.Reserve(2); err != nil {
			t.Fatalf("round %d: good process: %v", round, err)
		}
		if err := e.Complete(2, Record{Key: uint64(round)}); err != nil {
			t.Fatal(err)
		}
		if err := e.Enter(2, 1, &f); err != nil || f.PC != good.Handler {
			t.Fatalf("round %d: good process not delivered: %v", round, err)
		}
		if good.Recs[good.Head%RingRecs].Key != uint64(round) {
			t.Fatalf("round %d: good record %d", round, good.Recs[good.Head%RingRecs].Key)
		}
		good.Head++
		e.Return(2, &f)
	}
	t.Logf("3000 scribbles: %d kills of the scribbler, the other process delivered every time", kills)
}

// TestHandlerEntry: the vDSO handler's body, called as its C entry calls
// it (receiver address, hart, ticks), finds the Local right before the
// receiver, drains and wakes, and asks for the uiret system call.
func TestHandlerEntry(t *testing.T) {
	if off := unsafe.Offsetof(procPages{}.r); off != sched.LocalSize {
		t.Fatalf("receiver at %d, want right after the Local", off)
	}
	e := NewEmu()
	l, r := newProc(t, e, 3)
	tag := sched.LockTag(0, true)
	l.TryLock(tag)
	id, _ := l.Spawn(sched.Ctx{}, sched.KindUser, 2, sched.NoWaker)
	l.Fetch(sched.Ctx{})
	l.Block(sched.Ctx{}, id, 9)
	l.Unlock(tag)
	e.Reserve(3)
	e.Complete(3, Record{Key: 9, Result: 42, Co: id, Op: OpWrite})
	var d vdso.Data
	if got := HandlerEntry(&d, r, 1, 12345); got != vdso.Syscall {
		t.Fatalf("HandlerEntry returned %d, want vdso.Syscall (the uiret)", got)
	}
	if st, _ := l.StateOf(id); st != sched.Ready || l.Lock != 0 {
		t.Fatalf("coroutine %v, lock %#x", st, l.Lock)
	}
	if k, res := r.Result(id); k != 9 || res != 42 {
		t.Fatalf("result %d %d", k, res)
	}
}
