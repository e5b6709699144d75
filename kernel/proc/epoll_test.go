package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// TestEpollPipes: Go's netpoll pattern on pipes across two processes.
// The parent registers both ends of a pipe edge-triggered and waits in
// epoll_pwait; the forked child's write wakes it with EPOLLIN for the
// read end (written to the parent's memory); the write end's EPOLLOUT
// is reported once, not at every wait (edge); closing the child's and
// the parent's write ends reports EPOLLHUP. A waiter whose instance
// watches a pipe is not taken for deadlocked; ADD/MOD/DEL errors are
// Linux's.
func TestEpollPipes(t *testing.T) {
	p, a, _ := newProc(t, "uhello")
	sys := &System{Phys: p.Space.phys, Frames: a, NewPID: func() int { return 2 }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	th := p.Threads[0]
	if r := call(uabi.SYS_PIPE2, sc, uabi.O_NONBLOCK); r != 0 {
		t.Fatalf("pipe2 = %d", int64(r))
	}
	var fds [8]byte
	p.Space.CopyIn(fds[:], sc)
	rfd, wfd := uint64(binary.LittleEndian.Uint32(fds[:])), uint64(binary.LittleEndian.Uint32(fds[4:]))
	ep := call(uabi.SYS_EPOLL_CREATE1, uabi.EPOLL_CLOEXEC)
	ctl := func(op, fd uint64, events uint32, data uint64) uint64 {
		var ev [16]byte
		binary.LittleEndian.PutUint32(ev[:], events)
		binary.LittleEndian.PutUint64(ev[8:], data)
		p.Space.CopyOut(sc+16, ev[:])
		return call(uabi.SYS_EPOLL_CTL, ep, op, fd, sc+16)
	}
	const goFlags = uabi.EPOLLIN | uabi.EPOLLOUT | uabi.EPOLLRDHUP | uabi.EPOLLET
	for _, fd := range []uint64{rfd, wfd} {
		if r := ctl(uabi.EPOLL_CTL_ADD, fd, goFlags, 0x100+fd); r != 0 {
			t.Fatalf("epoll_ctl ADD %d = %d", fd, int64(r))
		}
	}
	for _, c := range []struct {
		op, fd uint64
		want   uint64
	}{
		{uabi.EPOLL_CTL_ADD, rfd, uabi.Errno(uabi.EEXIST)},
		{uabi.EPOLL_CTL_MOD, 99, uabi.Errno(uabi.EBADF)},
		{uabi.EPOLL_CTL_ADD, ep, uabi.Errno(uabi.EINVAL)},
		{uabi.EPOLL_CTL_DEL, 1, uabi.Errno(uabi.ENOENT)},
	} {
		if r := ctl(c.op, c.fd, uabi.EPOLLIN, 0); r != c.want {
			t.Errorf("epoll_ctl(%d, fd %d) = %d, want %d", c.op, c.fd, int64(r), int64(c.want))
		}
	}
	events := sc + 64
	wait := func(timeout int64) map[uint64]uint32 {
		t.Helper()
		n := call(uabi.SYS_EPOLL_PWAIT, ep, events, 8, uint64(timeout))
		if th.State() == sched.Blocked {
			return nil
		}
		return readEvents(t, p, events, n)
	}
	// Registration polls: the write end is writable, once (edge-triggered).
	if got := wait(0); len(got) != 1 || got[0x100+wfd] != uabi.EPOLLOUT {
		t.Errorf("first wait = %v, want the write end's EPOLLOUT", got)
	}
	if got := wait(0); len(got) != 0 {
		t.Errorf("second wait = %v, want nothing (edge-triggered)", got)
	}
	// Fork: the child shares the pipe. The parent's only thread waits with
	// no timeout; it is not taken for deadlocked (the child may write).
	pid := call(uabi.SYS_CLONE, uint64(uabi.SIGCHLD))
	c := sys.Born()[0]
	if pid != 2 {
		t.Fatalf("clone = %d", int64(pid))
	}
	if wait(-1) != nil {
		t.Fatal("epoll_pwait with nothing new did not block")
	}
	s := sys.Sched()
	s.Next(0)
	if p.Exited {
		t.Fatalf("waiting on a pipe taken for a deadlock: %s", p.Killed)
	}
	cth := c.Threads[0]
	c.Space.CopyOut(sc+200, []byte("job"))
	if r := sys2(c, cth, uabi.SYS_WRITE, wfd, sc+200, 3); r != 3 {
		t.Fatalf("child's write = %d", int64(r))
	}
	if th.State() != sched.Ready || th.TF.X[RegA0] != 1 {
		t.Fatalf("parent after the child's write: %v, a0 %d", th.State(), int64(th.TF.X[RegA0]))
	}
	if got := readEvents(t, p, events, 1); got[0x100+rfd] != uabi.EPOLLIN {
		t.Errorf("woken with %v, want the read end's EPOLLIN", got)
	}
	// Level-triggered watch of the same end: reported while data stays.
	if r := ctl(uabi.EPOLL_CTL_MOD, rfd, uabi.EPOLLIN, 0x200); r != 0 {
		t.Fatalf("MOD = %d", int64(r))
	}
	for i := 0; i < 2; i++ {
		if got := wait(0); got[0x200] != uabi.EPOLLIN {
			t.Errorf("level-triggered wait %d = %v", i, got)
		}
	}
	if r := call(uabi.SYS_READ, rfd, sc+300, 16); r != 3 {
		t.Fatalf("read = %d", int64(r))
	}
	if got := wait(0); len(got) != 0 {
		t.Errorf("after draining = %v, want nothing", got)
	}
	// Every write end closed: the read end hangs up.
	sys2(c, cth, uabi.SYS_CLOSE, wfd)
	if r := ctl(uabi.EPOLL_CTL_DEL, wfd, 0, 0); r != 0 {
		t.Fatalf("DEL = %d", int64(r))
	}
	call(uabi.SYS_CLOSE, wfd)
	if got := wait(0); got[0x200] != uabi.EPOLLHUP {
		t.Errorf("after the writers closed = %v, want EPOLLHUP", got)
	}
	// Closing the instance (in both processes: the child inherited it)
	// drops its watches from the pipe's end.
	call(uabi.SYS_CLOSE, ep)
	if f := p.files[rfd]; len(f.watchers) != 1 {
		t.Errorf("read end has %d watches while the child holds the instance", len(f.watchers))
	}
	sys2(c, cth, uabi.SYS_CLOSE, ep)
	if f := p.files[rfd]; len(f.watchers) != 0 {
		t.Errorf("read end still has %d watches after its instance closed", len(f.watchers))
	}
}

// sys2 is one system call by thread th of p.
func sys2(p *Proc, th *Thread, nr uint64, args ...uint64) uint64 {
	return sys(p, th, &buf{}, nr, args...)
}

// readEvents decodes n struct epoll_event at va: data → events.
func readEvents(t *testing.T, p *Proc, va, n uint64) map[uint64]uint32 {
	t.Helper()
	if int64(n) < 0 {
		t.Fatalf("epoll_pwait = %d", int64(n))
	}
	got := map[uint64]uint32{}
	for i := uint64(0); i < n; i++ {
		var b [16]byte
		p.Space.CopyIn(b[:], va+16*i)
		got[binary.LittleEndian.Uint64(b[8:])] = binary.LittleEndian.Uint32(b[:])
	}
	return got
}

// TestEpollConsole: the console is always writable and readable once
// input has arrived (Sched.WakeInput), until a read finds less than it
// asked for; a waiter is woken by the arrival.
func TestEpollConsole(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	env := &buf{}
	th := p.Threads[0]
	sc := uint64(StackTop - StackInit)
	ep := sys(p, th, env, uabi.SYS_EPOLL_CREATE1, 0)
	var ev [16]byte
	binary.LittleEndian.PutUint32(ev[:], uabi.EPOLLIN|uabi.EPOLLET)
	binary.LittleEndian.PutUint64(ev[8:], 7)
	p.Space.CopyOut(sc, ev[:])
	if r := sys(p, th, env, uabi.SYS_EPOLL_CTL, ep, uabi.EPOLL_CTL_ADD, 0, sc); r != 0 {
		t.Fatalf("epoll_ctl on the console = %d", int64(r))
	}
	if r := sys(p, th, env, uabi.SYS_EPOLL_PWAIT, ep, sc+64, 4, ^uint64(0)); th.State() != sched.Blocked {
		t.Fatalf("wait with no input = %d", int64(r))
	}
	env.input = []byte("hi\n")
	p.sched.WakeInput()
	if th.State() != sched.Ready || th.TF.X[RegA0] != 1 {
		t.Fatalf("after input: %v a0 %d", th.State(), int64(th.TF.X[RegA0]))
	}
	if got := readEvents(t, p, sc+64, 1); got[7] != uabi.EPOLLIN {
		t.Errorf("events %v", got)
	}
	if r := sys(p, th, env, uabi.SYS_READ, 0, sc+128, 64); r != 3 {
		t.Fatalf("read = %d", int64(r))
	}
	binary.LittleEndian.PutUint32(ev[:], uabi.EPOLLIN) // level: nothing left to report
	p.Space.CopyOut(sc, ev[:])
	sys(p, th, env, uabi.SYS_EPOLL_CTL, ep, uabi.EPOLL_CTL_MOD, 0, sc)
	if r := sys(p, th, env, uabi.SYS_EPOLL_PWAIT, ep, sc+64, 4, 0); r != 0 {
		t.Errorf("after reading all input: %d events", r)
	}
}

// TestEpollConsoleWatchSurvivesDup: closing a duplicate of fd 0 in one
// process leaves every process's console watches in place (the console
// is shared by all and not counted per descriptor).
func TestEpollConsoleWatchSurvivesDup(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	call, sc := sysCaller(t, p)
	ep := call(uabi.SYS_EPOLL_CREATE1, 0)
	var ev [16]byte
	binary.LittleEndian.PutUint32(ev[:], uabi.EPOLLIN)
	p.Space.CopyOut(sc, ev[:])
	if r := call(uabi.SYS_EPOLL_CTL, ep, uabi.EPOLL_CTL_ADD, 0, sc); r != 0 {
		t.Fatalf("epoll_ctl = %d", int64(r))
	}
	n := len(consoleFile.watchers)
	call(uabi.SYS_CLOSE, call(uabi.SYS_DUP, 0))
	if len(consoleFile.watchers) != n {
		t.Errorf("closing a dup of fd 0 dropped console watches: %d → %d", n, len(consoleFile.watchers))
	}
	call(uabi.SYS_CLOSE, ep)
	if len(consoleFile.watchers) != n-1 {
		t.Errorf("closing the instance left %d console watches, want %d", len(consoleFile.watchers), n-1)
	}
}
