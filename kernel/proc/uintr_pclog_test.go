package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// TestUintrDeliveryLog: with PCLog set, each delivery appends the pc it
// diverted, the Local's lock word and the thread; past Cap it is only
// counted; a log address the process cannot write costs it the log and
// nothing else (the delivery happens, the process lives).
func TestUintrDeliveryLog(t *testing.T) {
	table, _, env, start := uintrEnv(t)
	p := start("a")
	s := table.Sched()
	main := p.Threads[0]
	s.Next(0)
	r, data := registered(t, p, env, 1)
	logVA := scratch(t, p)
	var hdr [16]byte
	binary.LittleEndian.PutUint64(hdr[8:], 2) // Cap
	p.Space.CopyOut(logVA, hdr[:])
	r.PCLog = logVA
	tag := sched.LockTag(0, true)
	deliver := func(pc uint64, lock uint32) {
		t.Helper()
		if got := sys(p, main, env, uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, data, 0, 0, 1, 1); got != 0 {
			t.Fatalf("async sleep = %d", int64(got))
		}
		env.now += 10
		s.Next(env.now) // the kernel coroutine starts the sleep
		env.now += 10
		s.Next(env.now) // and completes it
		s.Next(env.now) // (the timer queue's first run only blocks)
		p.cops.l.Lock = lock
		main.TF.PC = pc
		d := p.Delivered
		p.DeliverUintr(main)
		p.cops.l.Lock = 0
		if p.Delivered != d+1 || main.TF.PC != r.Handler {
			t.Fatalf("not delivered: delivered %d, pc %#x", p.Delivered, main.TF.PC)
		}
		if got := sys(p, main, env, uabi.NR_COPS_UIRET); main.TF.PC != pc {
			t.Fatalf("uiret = %d, pc %#x, want %#x", int64(got), main.TF.PC, pc)
		}
		r.Head = r.Tail // (the handler's drain)
	}
	deliver(0x10100, tag)
	deliver(0x10104, 0)
	deliver(0x10108, tag) // beyond Cap: counted only
	var b [16 + 3*16]byte
	if err := p.Space.CopyIn(b[:], logVA); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if n := le.Uint64(b[0:]); n != 3 {
		t.Fatalf("count %d, want 3", n)
	}
	for i, want := range []struct {
		pc        uint64
		lock, tid uint32
	}{{0x10100, tag, uint32(main.TID)}, {0x10104, 0, uint32(main.TID)}, {0, 0, 0}} {
		e := b[16+16*i:]
		if pc, lock, tid := le.Uint64(e), le.Uint32(e[8:]), le.Uint32(e[12:]); pc != want.pc || lock != want.lock || tid != want.tid {
			t.Errorf("entry %d: pc %#x lock %#x tid %d, want %#x %#x %d", i, pc, lock, tid, want.pc, want.lock, want.tid)
		}
	}
	r.PCLog = 0x10 // not the process's to write
	deliver(0x1010c, tag)
	if p.Exited {
		t.Fatalf("a bad log address killed the process: %s", p.Killed)
	}
}
