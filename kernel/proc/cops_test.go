package proc

import (
	"strings"
	"testing"
	"unsafe"

	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
	"copslab/sched"
	"copslab/sched/executor"
)

// copsEnv is a process table with the kernel's Global set (every
// process gets a Local).
func copsEnv(t testing.TB) (*System, *sched.Global, func(name string) *Proc) {
	t.Helper()
	var g sched.Global
	var kl sched.Local
	now := uint64(0)
	x, err := executor.New(&g, &kl, func() uint64 { now += 100; return now })
	if err != nil {
		t.Fatal(err)
	}
	SetCOPS(x)
	t.Cleanup(func() { SetCOPS(nil) })
	phys, frames := setup(t, 2048)
	next := 0
	table := &System{Phys: phys, Frames: frames, NewPID: func() int { next++; return next }}
	prog, _ := uprog.Lookup("uhello")
	start := func(name string) *Proc {
		p, err := New(table.NewPID(), name, prog.ELF, nil, phys, frames)
		if err != nil {
			t.Fatal(err)
		}
		table.Add(p)
		return p
	}
	return table, &g, start
}

// auxVal returns the value of key in p's initial auxiliary vector (0: absent).
func auxVal(t *testing.T, p *Proc, key uint64) uint64 {
	t.Helper()
	s, sp := p.Space, p.Threads[0].TF.X[RegSP]
	word := func(i int) uint64 {
		var b [8]byte
		if err := s.CopyIn(b[:], sp+8*uint64(i)); err != nil {
			t.Fatal(err)
		}
		return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	}
	i := 1 + int(word(0)) + 1
	for word(i) != 0 {
		i++
	}
	for i++; word(i) != 0; i += 2 {
		if word(i) == key {
			return word(i + 1)
		}
	}
	return 0
}

// TestCOPSLocalLifecycle: a new process gets a formatted Local of its own
// slot at LocalVA (AT_COPS_LOCAL), read-write from user mode onto the
// very memory the kernel samples; a fork child gets a fresh Local of
// another slot (not the parent's frames); exit frees slot and frames.
func TestCOPSLocalLifecycle(t *testing.T) {
	table, g, start := copsEnv(t)
	free0 := table.Frames.FreeCount()
	p := start("a")
	if got := auxVal(t, p, uabi.AT_COPS_LOCAL); got != LocalVA {
		t.Fatalf("AT_COPS_LOCAL = %#x, want %#x", got, uint64(LocalVA))
	}
	slot, _, ok := p.LocalSlot()
	if !ok || g.Procs[slot].Flags&sched.ProcUsed == 0 || p.cops.l.Magic != sched.LocalMagic {
		t.Fatalf("no formatted Local in a used slot (slot %d, ok %v)", slot, ok)
	}
	// A store from user mode is what the kernel reads.
	var b [4]byte
	if err := p.Space.CopyIn(b[:], LocalVA); err != nil {
		t.Fatal(err)
	}
	if uint32(b[0])|uint32(b[1])<<8|uint32(b[2])<<16|uint32(b[3])<<24 != sched.LocalMagic {
		t.Errorf("user view of the Local starts with %x", b)
	}
	if err := p.Space.CopyOut(LocalVA+sched.LocalSize-1, []byte{0x5a}); err != nil {
		t.Fatal(err)
	}
	if last := (*[sched.LocalSize]byte)(unsafe.Pointer(p.cops.l))[sched.LocalSize-1]; last != 0x5a {
		t.Errorf("the kernel's view misses the user's store (%#x)", last)
	}
	// fork: the child has its own Local.
	env := &buf{}
	pid := sys(p, p.Threads[0], env, uabi.SYS_CLONE, uabi.SIGCHLD, 0)
	c := table.procs[int(pid)]
	if c == nil {
		t.Fatalf("fork = %d", int64(pid))
	}
	cslot, _, ok := c.LocalSlot()
	if !ok || cslot == slot || c.cops.pa == p.cops.pa || c.cops.l.Magic != sched.LocalMagic {
		t.Fatalf("fork child: slot %d (parent %d), ok %v", cslot, slot, ok)
	}
	pa, _, mapped := c.Space.PT.Translate(LocalVA)
	if !mapped || pa != c.cops.pa {
		t.Errorf("child maps %#x at LocalVA (%v), its Local is at %#x", pa, mapped, c.cops.pa)
	}
	c.Exit(0, "")
	p.Exit(0, "")
	if g.Procs[slot].Flags != 0 || g.Procs[cslot].Flags != 0 {
		t.Errorf("slots still used after exit: %#x %#x", g.Procs[slot].Flags, g.Procs[cslot].Flags)
	}
	if f := table.Frames.FreeCount(); f != free0 {
		t.Errorf("%d frames free after both exited, want %d", f, free0)
	}
}

// TestCOPSPlacement: the decision places the process whose Local holds
// the best ready coroutine, though the other comes first in turn; a
// priority written only into the Local moves the next decision; with no
// ready coroutine a process's threads' nice counts; a corrupt Local kills
// its process with the reader's message at the next reading of all
// and the others run on.
func TestCOPSPlacement(t *testing.T) {
	table, _, start := copsEnv(t)
	a, b, c := start("a"), start("b"), start("c")
	s := table.Sched()
	spawn := func(p *Proc, prio uint8) uint32 {
		l := p.cops.l
		ctx := sched.Ctx{}
		l.TryLock(sched.LockTag(0, true))
		id, e := l.Spawn(ctx, sched.KindUser, prio, sched.NoWaker)
		l.Unlock(sched.LockTag(0, true))
		if e != sched.OK {
			t.Fatal(e)
		}
		return id
	}
	next := func() *Proc {
		d := s.Next(1)
		if d.Thread == nil {
			t.Fatal("nothing placed")
		}
		return d.Thread.proc
	}
	spawn(a, 6)
	cb := spawn(b, 2)
	for i := 0; i < 3; i++ {
		if p := next(); p != b {
			t.Fatalf("decision %d placed %s, want b (coroutine at 2)", i, p.Name)
		}
	}
	l := b.cops.l
	l.TryLock(sched.LockTag(0, true))
	l.SetPrio(sched.Ctx{}, cb, 7)
	l.Unlock(sched.LockTag(0, true))
	// c has no coroutine: its thread (nice 0 → 4) beats a at 6 and b at 7.
	if p := next(); p != c {
		t.Fatalf("after b's change placed %s, want c", p.Name)
	}
	c.Exit(0, "")
	if p := next(); p != a {
		t.Fatalf("placed %s, want a (6 beats 7)", p.Name)
	}
	// Corrupt a's Local without moving its Seq: the next reading of every
	// Local (here at once) kills it, and b runs.
	a.cops.l.Magic ^= 1
	copsX.ReadAllEvery = 0
	if p := next(); p != b {
		t.Fatalf("placed %s, want b", p.Name)
	}
	if !a.Exited || !strings.Contains(a.Killed, "scheduler state corrupt") {
		t.Fatalf("a: exited %v, killed %q", a.Exited, a.Killed)
	}
	t.Logf("a killed: %s", a.Killed)
}

// TestCOPSMemoryPerProcess: a process's scheduler state costs it exactly
// the Local's two frames: beside the stack top, its pages need no page
// table of their own.
func TestCOPSMemoryPerProcess(t *testing.T) {
	used := func(withLocal bool) int {
		table, _, start := copsEnv(t)
		if !withLocal {
			SetCOPS(nil)
		}
		free0 := table.Frames.FreeCount()
		p := start("a")
		n := free0 - table.Frames.FreeCount()
		p.Exit(0, "")
		if f := table.Frames.FreeCount(); f != free0 {
			t.Errorf("%d frames free after exit, want %d", f, free0)
		}
		return n
	}
	without, with := used(false), used(true)
	t.Logf("%d frames per process without a Local, %d with", without, with)
	if with != without+sched.LocalSize/PageSize {
		t.Errorf("a Local costs %d frames, want %d", with-without, sched.LocalSize/PageSize)
	}
}
