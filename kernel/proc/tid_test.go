package proc

import (
	"testing"

	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
)

// TestThreadIDsUnique: one process creates and ends 200 threads beside a
// second process. Every thread id is new (never a pid, never reused),
// and kill/tgkill reach exactly the thread they name. (With ids numbered
// inside a block of 64 per process, the 64th thread used to get the
// next process's pid.)
func TestThreadIDsUnique(t *testing.T) {
	phys, frames := setup(t, 1024)
	next := 0
	table := &System{Phys: phys, Frames: frames, NewPID: func() int { next++; return next }}
	prog, _ := uprog.Lookup("uhello")
	a, err := New(table.NewPID(), "a", prog.ELF, nil, phys, frames)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(table.NewPID(), "b", prog.ELF, nil, phys, frames)
	if err != nil {
		t.Fatal(err)
	}
	table.Add(a)
	table.Add(b)
	env := &buf{}
	main := a.Threads[0]
	seen := map[uint64]bool{uint64(a.PID): true, uint64(b.PID): true}
	flags := uint64(cloneThread)
	var keep *Thread
	for i := 0; i < 200; i++ {
		tid := sys(a, main, env, uabi.SYS_CLONE, flags, 0)
		if int64(tid) <= 0 || seen[tid] {
			t.Fatalf("clone %d = %d: not a fresh id", i, int64(tid))
		}
		seen[tid] = true
		c := a.Threads[len(a.Threads)-1]
		if uint64(c.TID) != tid || sys(a, c, env, uabi.SYS_GETTID) != tid {
			t.Fatalf("clone %d: thread %d, gettid %d", i, c.TID, tid)
		}
		if i == 150 {
			keep = c // stays alive
			continue
		}
		sys(a, c, env, uabi.SYS_EXIT, 0)
		if len(a.Threads) != 1+boolInt(keep != nil) {
			t.Fatalf("clone %d: %d threads after exit", i, len(a.Threads))
		}
	}
	// tgkill reaches the named thread only; an exited thread is ESRCH.
	if r := sys(a, main, env, uabi.SYS_TGKILL, uint64(a.PID), uint64(keep.TID), uabi.SIGUSR1); r != 0 {
		t.Fatalf("tgkill = %d", int64(r))
	}
	if keep.sig.pending != 1<<(uabi.SIGUSR1-1) || main.sig.pending != 0 || b.Threads[0].sig.pending != 0 {
		t.Errorf("tgkill: pending kept %#x main %#x b %#x", keep.sig.pending, main.sig.pending, b.Threads[0].sig.pending)
	}
	if r := sys(a, main, env, uabi.SYS_TGKILL, uint64(a.PID), uint64(keep.TID-1), uabi.SIGUSR1); r != uabi.Errno(uabi.ESRCH) {
		t.Errorf("tgkill of an exited thread = %d", int64(r))
	}
	// kill of the other process reaches its thread, not one of ours.
	if r := sys(a, main, env, uabi.SYS_KILL, uint64(b.PID), uabi.SIGUSR2); r != 0 {
		t.Fatalf("kill = %d", int64(r))
	}
	if b.Threads[0].sig.pending != 1<<(uabi.SIGUSR2-1) || keep.sig.pending != 1<<(uabi.SIGUSR1-1) || main.sig.pending != 0 {
		t.Errorf("kill: pending b %#x kept %#x main %#x", b.Threads[0].sig.pending, keep.sig.pending, main.sig.pending)
	}
	if r := sys(a, main, env, uabi.SYS_KILL, uint64(b.PID), uabi.SIGKILL); r != 0 || !b.Exited || a.Exited {
		t.Errorf("SIGKILL: %d, b exited %v, a exited %v", int64(r), b.Exited, a.Exited)
	}
	a.Exit(0, "")
	a.Release()
	b.Release()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
