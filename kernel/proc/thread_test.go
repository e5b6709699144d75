package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// sys makes thread th call nr with args as if it trapped with ecall.
func sys(p *Proc, th *Thread, env Env, nr uint64, args ...uint64) uint64 {
	th.TF.Cause = CauseEcallU
	th.TF.X[RegA7] = nr
	copy(th.TF.X[RegA0:RegA0+6], append(args, 0, 0, 0, 0, 0, 0))
	p.Trap(th, env)
	return th.TF.X[RegA0]
}

// scratch maps a read/write page for test data and returns its address.
func scratch(t *testing.T, p *Proc) uint64 {
	va := p.Space.Mmap(0, PageSize, uabi.PROT_READ|uabi.PROT_WRITE, anon, ^uint64(0))
	if int64(va) < 0 {
		t.Fatal("mmap failed")
	}
	return va
}

func TestCloneFutexSleep(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	main := p.Threads[0]
	data := scratch(t, p)
	flags := uint64(uabi.CLONE_VM | uabi.CLONE_FS | uabi.CLONE_FILES | uabi.CLONE_SIGHAND | uabi.CLONE_SYSVSEM | uabi.CLONE_THREAD | uabi.CLONE_SETTLS)
	pc := main.TF.PC
	tid := sys(p, main, env, uabi.SYS_CLONE, flags, data+PageSize, 0, 0x7777)
	if len(p.Threads) != 2 || tid != uint64(p.Threads[1].TID) || tid == uint64(main.TID) {
		t.Fatalf("clone = %d with %d threads", tid, len(p.Threads))
	}
	child := p.Threads[1]
	if child.TF.X[RegA0] != 0 || child.TF.X[RegSP] != data+PageSize || child.TF.X[4] != 0x7777 || child.TF.PC != pc+4 {
		t.Errorf("child a0 %d sp %#x tp %#x pc %#x", child.TF.X[RegA0], child.TF.X[RegSP], child.TF.X[4], child.TF.PC)
	}
	if r := sys(p, main, env, uabi.SYS_CLONE, uabi.CLONE_VFORK|uabi.CLONE_VM, 0); r != uabi.Errno(uabi.ENOSYS) {
		t.Errorf("vfork = %d", int64(r))
	}
	// Futex: wrong value → EAGAIN; right value blocks; wake wakes one.
	p.Space.CopyOut(data, []byte{5, 0, 0, 0})
	if r := sys(p, main, env, uabi.SYS_FUTEX, data, 128, 4); r != uabi.Errno(uabi.EAGAIN) {
		t.Errorf("futex wait with a stale value = %d", int64(r))
	}
	sys(p, main, env, uabi.SYS_FUTEX, data, 128, 5)
	if main.State() != sched.Blocked || main.Waiting() != WaitFutex {
		t.Fatal("futex wait did not block")
	}
	if next, _ := p.Pick(0); next != child {
		t.Fatal("Pick did not choose the runnable child")
	}
	if r := sys(p, child, env, uabi.SYS_FUTEX, data, 129, 10); r != 1 || main.State() != sched.Ready || main.TF.X[RegA0] != 0 {
		t.Errorf("wake = %d, main %v", r, main.State())
	}
	// Futex with a timeout: Pick wakes it with ETIMEDOUT.
	var ts [16]byte
	binary.LittleEndian.PutUint64(ts[8:], 5e6) // 5 ms
	p.Space.CopyOut(data+64, ts[:])
	env.now = 1000
	sys(p, main, env, uabi.SYS_FUTEX, data, 128, 5, data+64)
	sys(p, child, env, uabi.SYS_NANOSLEEP, data+64, 0)
	if th, until := p.Pick(env.now); th != nil || until != 1000+5e6 {
		t.Fatalf("Pick with all blocked = %v, %d", th, until)
	}
	if th, _ := p.Pick(1000 + 5e6); th == nil || main.TF.X[RegA0] != uabi.Errno(uabi.ETIMEDOUT) || child.State() != sched.Ready {
		t.Errorf("after the deadline: main a0 %d, child %v", int64(main.TF.X[RegA0]), child.State())
	}
	if r := sys(p, main, env, uabi.SYS_FUTEX, 0x10, 128, 0); r != efault {
		t.Errorf("futex on an unmapped word = %d", int64(r))
	}
	// exit of one thread leaves the process; the last one ends it.
	sys(p, child, env, uabi.SYS_EXIT, 3)
	if p.Exited || len(p.Threads) != 1 {
		t.Fatalf("exited %v with %d threads", p.Exited, len(p.Threads))
	}
	sys(p, main, env, uabi.SYS_EXIT, 4)
	if !p.Exited || p.Status != 4 {
		t.Errorf("exited %v status %d", p.Exited, p.Status)
	}
}

// TestEpollEventfd: the runtime's netpoll pattern.
func TestEpollEventfd(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	a, b := p.Threads[0], p.newThread()
	b.TF = a.TF
	data := scratch(t, p)
	ep := sys(p, a, env, uabi.SYS_EPOLL_CREATE1, 0)
	efd := sys(p, a, env, uabi.SYS_EVENTFD2, 0, 0)
	if ep < 3 || efd < 3 || ep == efd {
		t.Fatalf("fds %d %d", ep, efd)
	}
	var ev [16]byte
	binary.LittleEndian.PutUint32(ev[:], uabi.EPOLLIN)
	binary.LittleEndian.PutUint64(ev[8:], 0xabcdef)
	p.Space.CopyOut(data, ev[:])
	if r := sys(p, a, env, uabi.SYS_EPOLL_CTL, ep, uabi.EPOLL_CTL_ADD, efd, data); r != 0 {
		t.Fatal(int64(r))
	}
	if r := sys(p, a, env, uabi.SYS_EPOLL_PWAIT, ep, data+64, 8, 0); r != 0 {
		t.Fatalf("poll with nothing ready = %d", r)
	}
	sys(p, a, env, uabi.SYS_EPOLL_PWAIT, ep, data+64, 8, ^uint64(0)) // -1: forever
	if a.Waiting() != WaitPoll {
		t.Fatal("epoll_pwait did not block")
	}
	binary.LittleEndian.PutUint64(ev[:], 1)
	p.Space.CopyOut(data+32, ev[:8])
	if r := sys(p, b, env, uabi.SYS_WRITE, efd, data+32, 8); r != 8 {
		t.Fatalf("eventfd write = %d", int64(r))
	}
	var got [16]byte
	p.Space.CopyIn(got[:], data+64)
	if a.State() != sched.Ready || a.TF.X[RegA0] != 1 || binary.LittleEndian.Uint64(got[8:]) != 0xabcdef {
		t.Errorf("woken %v with %d events, data %#x", a.State(), a.TF.X[RegA0], binary.LittleEndian.Uint64(got[8:]))
	}
	if r := sys(p, a, env, uabi.SYS_READ, efd, data+96, 8); r != 8 {
		t.Errorf("eventfd read = %d", int64(r))
	}
	if r := sys(p, a, env, uabi.SYS_READ, efd, data+96, 8); r != uabi.Errno(uabi.EAGAIN) {
		t.Errorf("second eventfd read = %d", int64(r))
	}
	if r := sys(p, a, env, uabi.SYS_CLOSE, efd); r != 0 || sys(p, a, env, uabi.SYS_CLOSE, efd) != uabi.Errno(uabi.EBADF) {
		t.Error("close")
	}
}

// TestBadPointersGiveEFAULT passes unmapped and kernel addresses to
// every call that takes a pointer.
func TestBadPointersGiveEFAULT(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	th := p.Threads[0]
	for _, bad := range []uint64{0x1000, ramBase, UserTop, ^uint64(0) - 7} {
		calls := []struct {
			nr   uint64
			args []uint64
		}{
			{uabi.SYS_WRITE, []uint64{1, bad, 4}},
			{uabi.SYS_CLOCK_GETTIME, []uint64{1, bad}},
			{uabi.SYS_GETRANDOM, []uint64{bad, 16}},
			{uabi.SYS_SCHED_GETAFFINITY, []uint64{0, 8, bad}},
			{uabi.SYS_RT_SIGACTION, []uint64{1, 0, bad}},
			{uabi.SYS_NANOSLEEP, []uint64{bad, 0}},
			{uabi.SYS_GETTIMEOFDAY, []uint64{bad}},
		}
		for _, c := range calls {
			if r := sys(p, th, env, c.nr, c.args...); r != efault {
				t.Errorf("%s with %#x = %d, want -EFAULT", uabi.SyscallName(c.nr), bad, int64(r))
			}
		}
	}
}

// TestConsoleRead: read(0) blocks without input, WakeInput wakes the
// thread when input arrives, the call is repeated and returns the bytes; an
// end-of-file mark reads as 0.
func TestConsoleRead(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	th := p.Threads[0]
	data := scratch(t, p)
	pc := th.TF.PC
	sys(p, th, env, uabi.SYS_READ, 0, data, 16)
	if th.Waiting() != WaitInput || th.TF.PC != pc || p.sched.Blocked(WaitInput) != 1 {
		t.Fatalf("state %v %v pc %#x (want the ecall again at %#x)", th.State(), th.Waiting(), th.TF.PC, pc)
	}
	if got, until := p.Pick(0); got != nil || until != 0 {
		t.Fatal("Pick ran a thread without input")
	}
	env.input = []byte("ls\n")
	if p.sched.WakeInput() != 1 {
		t.Fatal("WakeInput woke nobody")
	}
	if got, _ := p.Pick(0); got != th {
		t.Fatal("input did not wake the reader")
	}
	if r := sys(p, th, env, uabi.SYS_READ, 0, data, 16); r != 3 {
		t.Fatalf("read = %d", int64(r))
	}
	var b [3]byte
	p.Space.CopyIn(b[:], data)
	if string(b[:]) != "ls\n" {
		t.Errorf("read %q", b)
	}
	env.eof = true
	if r := sys(p, th, env, uabi.SYS_READ, 0, data, 16); r != 0 || th.State() == sched.Blocked {
		t.Errorf("read at EOF = %d, state %v", int64(r), th.State())
	}
	if r := sys(p, th, env, uabi.SYS_READ, 0, 0x1000, 16); r != 0 {
		t.Errorf("read at EOF into a bad buffer = %d", int64(r))
	}
}

// TestPriorities: the thread with the lower nice value always runs
// first; equals share round robin; a blocked favourite lets others run.
func TestPriorities(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	a := p.Threads[0]
	b, c := p.newThread(), p.newThread()
	b.TF, c.TF = a.TF, a.TF
	if r := sys(p, a, env, uabi.SYS_SETPRIORITY, 0, uint64(b.TID), uint64(0xfffffffb)); r != 0 { // nice -5
		t.Fatalf("setpriority = %d", int64(r))
	}
	if b.Nice != -5 || sys(p, a, env, uabi.SYS_GETPRIORITY, 0, uint64(b.TID)) != 25 {
		t.Fatalf("nice %d", b.Nice)
	}
	for i := 0; i < 5; i++ {
		if got, _ := p.Pick(0); got != b {
			t.Fatalf("round %d: Pick chose tid %d, want the nice -5 thread %d", i, got.TID, b.TID)
		}
	}
	p.sched.Block(b, nil, WaitSleep, 1e18, 0)
	seen := map[int]int{}
	for i := 0; i < 6; i++ {
		got, _ := p.Pick(0)
		seen[got.TID]++
	}
	if seen[a.TID] != 3 || seen[c.TID] != 3 {
		t.Errorf("equal threads shared %v, want 3 each", seen)
	}
	if r := sys(p, a, env, uabi.SYS_SETPRIORITY, 0, 9999, 1); r != uabi.Errno(uabi.ESRCH) {
		t.Errorf("setpriority of no thread = %d", int64(r))
	}
	sys(p, a, env, uabi.SYS_SETPRIORITY, 0, 0, 100)
	if a.Nice != 19 {
		t.Errorf("nice clamped to %d, want 19", a.Nice)
	}
}
