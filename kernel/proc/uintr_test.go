package proc

import (
	"encoding/binary"
	"strings"
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
	"copslab/uintr"
)

// uintrEnv is copsEnv with the emulation as the machine's controller
// and the scheduler's Env set.
func uintrEnv(t *testing.T) (*System, *uintr.Emu, *buf, func(name string) *Proc) {
	t.Helper()
	table, _, start := copsEnv(t)
	emu := uintr.NewEmu()
	SetUintr(emu)
	t.Cleanup(func() { SetUintr(nil) })
	env := &buf{}
	table.Sched().Env = env
	return table, emu, env, start
}

// registered registers p's receiver with a handler at the start of its
// text and a stack in a fresh page, enables vectors and interrupts.
func registered(t *testing.T, p *Proc, env Env, enable uint64) (*uintr.Receiver, uint64) {
	t.Helper()
	th := p.Threads[0]
	if va := sys(p, th, env, uabi.NR_COPS_UINTR_REGISTER); va != RecvVA {
		t.Fatalf("register = %#x, want %#x", va, uint64(RecvVA))
	}
	r := p.uintr.r
	stack := scratch(t, p)
	r.Handler, r.Stack, r.Enable, r.Ctl = p.Image.TextLo, stack+PageSize, enable, uintr.CtlUIE
	return r, stack
}

func word32(t *testing.T, p *Proc, va uint64) uint32 {
	t.Helper()
	var b [4]byte
	if err := p.Space.CopyIn(b[:], va); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint32(b[:])
}

// TestAsyncPipeReadByInterrupt: an async read of an empty pipe returns
// 0 at once; the process's only thread then sleeps in futex (not a
// deadlock: a call is in flight) and the process is not placed; a write
// completes the read in its kernel coroutine at the next decision, which
// queues the record, posts the interrupt and wakes the sleeping thread
// (EINTR); the process is placed at priority 0 and diverted to its
// handler (pc, sp, a0, ra); uiret restores the frame and clears and
// wakes the Wake word.
func TestAsyncPipeReadByInterrupt(t *testing.T) {
	table, emu, env, start := uintrEnv(t)
	p := start("a")
	s := table.Sched()
	main := p.Threads[0]
	if d := s.Next(0); d.Thread != main {
		t.Fatal("main not placed")
	}
	r, data := registered(t, p, env, 1<<uintr.VecKernel)
	if sys(p, main, env, uabi.SYS_PIPE2, data) != 0 {
		t.Fatal("pipe2")
	}
	rfd, wfd := uint64(word32(t, p, data)), uint64(word32(t, p, data+4))
	buf := data + 64
	if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_READ, rfd, buf, 16, 77, 5); got != 0 {
		t.Fatalf("async read = %d", int64(got))
	}
	if p.nAsync != 1 || emu.Pending(p.cops.slot) {
		t.Fatalf("in flight %d, pending %v", p.nAsync, emu.Pending(p.cops.slot))
	}
	// The executor sleeps: futex on its word, which it names as Wake.
	word := data + 128
	p.Space.CopyOut(word, []byte{1, 0, 0, 0})
	r.Wake = word
	sys(p, main, env, uabi.SYS_FUTEX, word, 128, 1, 0)
	if main.state != sched.Blocked {
		t.Fatal("futex did not block")
	}
	for now := int64(1); now < 4; now++ {
		if d := s.Next(now); d.Thread != nil || p.Exited {
			t.Fatalf("decision %d: placed %v, exited %v (%s)", now, d.Thread != nil, p.Exited, p.Killed)
		}
	}
	if p.Placed != 1 || !main.execWait {
		t.Fatalf("placed %d, want 1; asleep on Wake %v", p.Placed, main.execWait)
	}
	// Another process writes (it shares the descriptor through a clone of the table).
	q := start("b")
	q.files = p.files
	s.Next(4) // q runs
	if got := sys(q, q.Threads[0], env, uabi.SYS_WRITE, wfd, StackTop-StackInit, 16); got != 16 {
		t.Fatalf("write = %d", int64(got))
	}
	d := s.Next(5) // the kernel coroutine completes first, then the boosted process
	if d.Thread != main || p.nAsync != 0 {
		t.Fatalf("after the write: placed %v, in flight %d", d.Thread, p.nAsync)
	}
	if p.ExecWakes != 1 || p.OtherWakes != 0 {
		t.Fatalf("executor woken by the interrupt %d, otherwise %d; want 1, 0", p.ExecWakes, p.OtherWakes)
	}
	if int64(main.TF.X[RegA0]) != -int64(uabi.EINTR) {
		t.Fatalf("futex result %d, want -EINTR", int64(main.TF.X[RegA0]))
	}
	rec := r.Recs[0]
	if r.Tail != 1 || rec.Key != 77 || rec.Result != 16 || rec.Co != 5 || rec.Op != uintr.OpRead {
		t.Fatalf("record %+v, tail %d", rec, r.Tail)
	}
	var want, got [16]byte
	q.Space.CopyIn(want[:], StackTop-StackInit)
	p.Space.CopyIn(got[:], buf)
	if got != want {
		t.Fatalf("read %x, want %x", got, want)
	}
	saved := main.TF
	p.DeliverUintr(main)
	tf := &main.TF
	if tf.PC != p.Image.TextLo || tf.X[RegSP] != r.Stack || tf.X[RegA0] != RecvVA || tf.X[RegRA] != UiretVA || tf.X[RegA0+2] != 1 {
		t.Fatalf("diverted to pc %#x sp %#x a0 %#x ra %#x a2 %#x", tf.PC, tf.X[RegSP], tf.X[RegA0], tf.X[RegRA], tf.X[RegA0+2])
	}
	if p.Delivered != 1 || emu.Pending(p.cops.slot) {
		t.Fatal("not delivered once")
	}
	sys(p, main, env, uabi.NR_COPS_UIRET)
	if main.TF.PC != saved.PC || main.TF.X != saved.X {
		t.Fatalf("uiret: pc %#x, want %#x", main.TF.PC, saved.PC)
	}
	if w := word32(t, p, word); w != 0 {
		t.Fatalf("Wake word %d after uiret, want 0", w)
	}
	if got := sys(p, main, env, uabi.NR_COPS_UIRET); int64(got) != -int64(uabi.EINVAL) {
		t.Fatalf("uiret outside a handler = %d", int64(got))
	}
}

// TestAsyncSleep: an async nanosleep completes with 0 at its deadline,
// not before; the ring refuses a 65th call in flight with EAGAIN.
func TestAsyncSleep(t *testing.T) {
	table, _, env, start := uintrEnv(t)
	p := start("a")
	s := table.Sched()
	main := p.Threads[0]
	s.Next(0)
	r, data := registered(t, p, env, 1)
	p.Space.CopyOut(data, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x42, 0x0f, 0, 0, 0, 0, 0}) // 1 ms
	for i := range uintr.RingRecs {
		if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, data, 0, 0, uint64(i), 1); got != 0 {
			t.Fatalf("async sleep %d = %d", i, int64(got))
		}
	}
	if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, data, 0, 0, 99, 1); int64(got) != -int64(uabi.EAGAIN) {
		t.Fatalf("call 65 = %d, want -EAGAIN", int64(got))
	}
	if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_GETPID, 0, 0, 0, 99, 1); int64(got) != -int64(uabi.EINVAL) {
		t.Fatalf("async getpid = %d, want -EINVAL", int64(got))
	}
	s.Next(10)
	if r.Tail != 0 || p.nAsync != uintr.RingRecs {
		t.Fatalf("before the deadline: tail %d, in flight %d", r.Tail, p.nAsync)
	}
	env.now = 2e6
	s.Next(2e6)
	s.Next(2e6) // (the timer queue's kernel coroutine, spawned at the first due deadline, only blocks on its first run)
	if r.Tail != uintr.RingRecs || p.nAsync != 0 || r.Recs[3].Result != 0 || r.Recs[3].Key != 3 || r.Recs[3].Op != uintr.OpSleep {
		t.Fatalf("after the deadline: tail %d, in flight %d, record %+v", r.Tail, p.nAsync, r.Recs[3])
	}
}

// TestUintrSendNeedsGrant: a send through an entry nobody granted is
// -EPERM; after the receiver grants a vector to the sender's pid the
// same send posts it (the receiver's interrupt is pending).
func TestUintrSendNeedsGrant(t *testing.T) {
	table, emu, env, start := uintrEnv(t)
	a, b := start("a"), start("b")
	table.Sched().Next(0)
	registered(t, a, env, 1<<3)
	if got := sys(b, b.Threads[0], env, uabi.NR_COPS_UINTR_SEND, 0); int64(got) != -int64(uabi.EPERM) {
		t.Fatalf("send without a grant = %d, want -EPERM", int64(got))
	}
	if emu.Pending(a.cops.slot) {
		t.Fatal("pending without a grant")
	}
	idx := sys(a, a.Threads[0], env, uabi.NR_COPS_UINTR_GRANT, 3, uint64(b.PID))
	if int64(idx) < 0 {
		t.Fatalf("grant = %d", int64(idx))
	}
	if got := sys(b, b.Threads[0], env, uabi.NR_COPS_UINTR_SEND, idx); got != 0 || !emu.Pending(a.cops.slot) {
		t.Fatalf("send with a grant = %d, pending %v", int64(got), emu.Pending(a.cops.slot))
	}
	if got := sys(a, a.Threads[0], env, uabi.NR_COPS_UINTR_GRANT, 3, 999); int64(got) != -int64(uabi.ESRCH) {
		t.Fatalf("grant to no process = %d, want -ESRCH", int64(got))
	}
}

// TestUintrBadHandlerKills: a handler address outside the text kills
// the process at delivery with a message naming it; another process's
// delivery goes on, and the dead one's frames come back.
func TestUintrBadHandlerKills(t *testing.T) {
	table, _, env, start := uintrEnv(t)
	free0 := table.Frames.FreeCount()
	a, b := start("a"), start("b")
	s := table.Sched()
	s.Next(0)
	ra, da := registered(t, a, env, 1)
	rb, db := registered(t, b, env, 1)
	ra.Handler = 0x100
	p0 := make([]byte, 16)
	a.Space.CopyOut(da, p0)
	b.Space.CopyOut(db, p0)
	sys(a, a.Threads[0], env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, da, 0, 0, 1, 1)
	sys(b, b.Threads[0], env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, db, 0, 0, 1, 1)
	s.Next(0) // the kernel coroutines start their sleeps
	env.now = 10
	s.Next(10) // and complete them
	s.Next(10) // (the timer queue's first run only blocks)
	a.DeliverUintr(a.Threads[0])
	b.DeliverUintr(b.Threads[0])
	if !a.Exited || !strings.Contains(a.Killed, "user-interrupt handler 0x100 outside its text") {
		t.Fatalf("a: exited %v, killed %q", a.Exited, a.Killed)
	}
	if b.Exited || b.Delivered != 1 || b.Threads[0].TF.PC != rb.Handler {
		t.Fatalf("b: exited %v (%s), delivered %d", b.Exited, b.Killed, b.Delivered)
	}
	t.Logf("a: %s", a.Killed)
	b.Exit(0, "")
	table.Remove(a)
	table.Remove(b)
	if free := table.Frames.FreeCount(); free != free0 {
		t.Fatalf("frames free %d, want %d", free, free0)
	}
}
