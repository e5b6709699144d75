package proc

import (
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// TestKillReachesAnyThread: kill(getpid(), SIGTERM) while the main
// thread sleeps in futex goes to the other thread, which is ready; once
// that thread blocks SIGTERM, the main thread takes it and is woken from
// futex with EINTR; a thread blocked in a pipe read is woken to run its
// read again. tgkill wakes the thread it names.
func TestKillReachesAnyThread(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	main := p.Threads[0]
	data := scratch(t, p)
	flags := uint64(uabi.CLONE_VM | uabi.CLONE_FS | uabi.CLONE_FILES | uabi.CLONE_SIGHAND | uabi.CLONE_SYSVSEM | uabi.CLONE_THREAD)
	sys(p, main, env, uabi.SYS_CLONE, flags, data+PageSize)
	other := p.Threads[1]
	bit := uint64(1) << (uabi.SIGTERM - 1)

	sys(p, main, env, uabi.SYS_FUTEX, data, 128, 0) // the word is 0: blocks
	if main.State() != sched.Blocked {
		t.Fatal("futex wait did not block")
	}
	if r := sys(p, other, env, uabi.SYS_KILL, uint64(p.PID), uabi.SIGTERM); r != 0 {
		t.Fatalf("kill = %d", int64(r))
	}
	if other.sig.pending&bit == 0 || main.sig.pending&bit != 0 || main.State() != sched.Blocked {
		t.Errorf("kill with a ready thread: pending other %#x main %#x, main %v", other.sig.pending, main.sig.pending, main.State())
	}
	other.sig.pending = 0
	other.sig.mask = bit // the ready thread blocks SIGTERM now
	sys(p, other, env, uabi.SYS_KILL, uint64(p.PID), uabi.SIGTERM)
	if main.sig.pending&bit == 0 || main.State() != sched.Ready || main.TF.X[RegA0] != uabi.Errno(uabi.EINTR) {
		t.Errorf("kill with main in futex: pending %#x, %v, a0 %d", main.sig.pending, main.State(), int64(main.TF.X[RegA0]))
	}
	main.sig.pending = 0

	// A pipe read runs again after the handler (SA_RESTART).
	if r := sys(p, main, env, uabi.SYS_PIPE2, data+64, 0); r != 0 {
		t.Fatalf("pipe2 = %d", int64(r))
	}
	var fds [8]byte
	p.Space.CopyIn(fds[:], data+64)
	pc := main.TF.PC
	sys(p, main, env, uabi.SYS_READ, uint64(fds[0]), data+128, 1)
	if main.State() != sched.Blocked || main.Waiting() != WaitPipe {
		t.Fatalf("read of an empty pipe: %v %v", main.State(), main.Waiting())
	}
	if r := sys(p, other, env, uabi.SYS_TGKILL, uint64(p.PID), uint64(main.TID), uabi.SIGUSR1); r != 0 {
		t.Fatalf("tgkill = %d", int64(r))
	}
	if main.State() != sched.Ready || main.TF.PC != pc {
		t.Errorf("tgkill to a pipe reader: %v, pc %#x (the read's ecall %#x)", main.State(), main.TF.PC, pc)
	}
	// Blocked signals do not wake.
	main.sig.pending, main.sig.mask = 0, ^uint64(0)
	sys(p, main, env, uabi.SYS_FUTEX, data, 128, 0)
	sys(p, other, env, uabi.SYS_TGKILL, uint64(p.PID), uint64(main.TID), uabi.SIGUSR1)
	if main.State() != sched.Blocked {
		t.Errorf("a blocked signal woke the thread")
	}
}
