package proc

import (
	"encoding/binary"
	"strings"
	"testing"

	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
	"copslab/sched"
)

// sysCaller drives system calls of p's main thread; scratch is a
// writable user address (the stack's lowest mapped page).
func sysCaller(t *testing.T, p *Proc) (call func(nr uint64, args ...uint64) uint64, scratch uint64) {
	th := p.Threads[0]
	var out buf
	call = func(nr uint64, args ...uint64) uint64 {
		t.Helper()
		th.TF.Cause = CauseEcallU
		th.TF.X[RegA7] = nr
		clear(th.TF.X[RegA0 : RegA0+6])
		copy(th.TF.X[RegA0:], args)
		p.Trap(th, &out)
		return th.TF.X[RegA0]
	}
	return call, StackTop - StackInit
}

// TestPipe: data flows, a reader blocks on an empty pipe with a writer
// and re-runs its call, EOF once every writer is closed, EPIPE and a
// pending SIGPIPE once every reader is closed; close-on-exec and
// status flags per descriptor.
func TestPipe(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	call, sc := sysCaller(t, p)
	th := p.Threads[0]
	if r := call(uabi.SYS_PIPE2, sc, uabi.O_CLOEXEC); r != 0 {
		t.Fatalf("pipe2 = %d", int64(r))
	}
	var fds [8]byte
	p.Space.CopyIn(fds[:], sc)
	rfd, wfd := uint64(binary.LittleEndian.Uint32(fds[:])), uint64(binary.LittleEndian.Uint32(fds[4:]))
	if rfd != 3 || wfd != 4 {
		t.Fatalf("pipe fds %d %d, want 3 4", rfd, wfd)
	}
	if r := call(uabi.SYS_FCNTL, rfd, uabi.F_GETFD); r != 1 {
		t.Errorf("F_GETFD = %d, want close-on-exec", r)
	}
	p.Space.CopyOut(sc+64, []byte("ping"))
	if r := call(uabi.SYS_WRITE, wfd, sc+64, 4); r != 4 {
		t.Fatalf("write = %d", int64(r))
	}
	if r := call(uabi.SYS_READ, rfd, sc+128, 100); r != 4 {
		t.Fatalf("read = %d", int64(r))
	}
	got := make([]byte, 4)
	p.Space.CopyIn(got, sc+128)
	if string(got) != "ping" {
		t.Errorf("read %q", got)
	}
	pc := th.TF.PC
	call(uabi.SYS_READ, rfd, sc+128, 100)
	if th.State() != sched.Blocked || th.Waiting() != WaitPipe || th.TF.PC != pc {
		t.Fatalf("read of an empty pipe: state %v %v, pc %#x (want %#x)", th.State(), th.Waiting(), th.TF.PC, pc)
	}
	if tt, _ := p.Pick(0); tt != nil {
		t.Fatal("blocked reader picked")
	}
	// A second thread makes the other calls. A second descriptor for
	// the write end keeps the pipe open.
	other := p.newThread()
	other.TF = th.TF
	var out buf
	if r := sys(p, other, &out, uabi.SYS_DUP3, wfd, 9, 0); r != 9 {
		t.Fatalf("dup3 = %d", int64(r))
	}
	sys(p, other, &out, uabi.SYS_CLOSE, wfd)
	if th.State() == sched.Blocked { // closing an end wakes the reader: its read runs again
		t.Fatal("closing a write end did not wake the reader")
	}
	if sys(p, th, &out, uabi.SYS_READ, rfd, sc+128, 100); th.State() != sched.Blocked {
		t.Fatal("reader did not block again while a writer is open")
	}
	sys(p, other, &out, uabi.SYS_CLOSE, 9)
	if th.State() != sched.Ready || th.TF.PC != pc {
		t.Fatal("reader not woken when the last writer closed")
	}
	if r := call(uabi.SYS_READ, rfd, sc+128, 100); r != 0 {
		t.Errorf("read at EOF = %d", int64(r))
	}
	// EPIPE: a new pipe whose reader is closed.
	call(uabi.SYS_PIPE2, sc, uabi.O_NONBLOCK)
	p.Space.CopyIn(fds[:], sc)
	rfd, wfd = uint64(binary.LittleEndian.Uint32(fds[:])), uint64(binary.LittleEndian.Uint32(fds[4:]))
	if r := call(uabi.SYS_FCNTL, rfd, uabi.F_GETFL); r != uabi.O_NONBLOCK {
		t.Errorf("F_GETFL of a non-blocking read end = %#x", r)
	}
	if r := call(uabi.SYS_READ, rfd, sc+128, 1); r != uabi.Errno(uabi.EAGAIN) {
		t.Errorf("non-blocking read of an empty pipe = %d", int64(r))
	}
	call(uabi.SYS_CLOSE, rfd)
	if r := call(uabi.SYS_WRITE, wfd, sc+64, 4); r != uabi.Errno(uabi.EPIPE) || th.sig.pending&(1<<(uabi.SIGPIPE-1)) == 0 {
		t.Errorf("write without reader = %d, pending %#x", int64(r), th.sig.pending)
	}
	if r := call(uabi.SYS_CLOSE, 77); r != uabi.Errno(uabi.EBADF) {
		t.Errorf("close(77) = %d", int64(r))
	}
}

// TestWaitStatus: wait4's encoding (exit code << 8, or the signal).
func TestWaitStatus(t *testing.T) {
	p := &Proc{}
	p.Exit(3, "")
	if ws, code, st := p.WaitStatus(); ws != 3<<8 || code != cldExited || st != 3 {
		t.Errorf("exit 3: %#x %d %d", ws, code, st)
	}
	q := &Proc{}
	q.Kill("test")
	if ws, code, st := q.WaitStatus(); ws != uabi.SIGKILL || code != cldKilled || st != uabi.SIGKILL {
		t.Errorf("killed: %#x %d %d", ws, code, st)
	}
}

// TestFileTree: /bin lists the programs, a program file reads back its
// ELF bytes, writes are refused, /proc shows the process.
func TestFileTree(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	sys := &System{Program: func(n string) ([]byte, bool) {
		pr, ok := uprog.Lookup(n)
		return pr.ELF, ok
	}, Names: uprog.Names, NewPID: func() int { return 100 }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	cstr := func(va uint64, s string) uint64 { p.Space.CopyOut(va, append([]byte(s), 0)); return va }
	fd := call(uabi.SYS_OPENAT, uint64(0xffffffffffffff9c), cstr(sc, "/bin"), uabi.O_DIRECTORY)
	if int64(fd) < 0 {
		t.Fatalf("open /bin = %d", int64(fd))
	}
	n := call(uabi.SYS_GETDENTS64, fd, sc+256, 2048)
	b := make([]byte, n)
	p.Space.CopyIn(b, sc+256)
	if !strings.Contains(string(b), "uhello\x00") {
		t.Errorf("getdents64 of /bin lacks uhello: %q", b)
	}
	f := call(uabi.SYS_OPENAT, fd, cstr(sc, "uhello"), 0)
	if int64(f) < 0 {
		t.Fatalf("openat(/bin fd, uhello) = %d", int64(f))
	}
	if r := call(uabi.SYS_READ, f, sc+256, 4); r != 4 {
		t.Fatalf("read = %d", int64(r))
	}
	magic := make([]byte, 4)
	p.Space.CopyIn(magic, sc+256)
	if string(magic) != "\x7fELF" {
		t.Errorf("read %q", magic)
	}
	if r := call(uabi.SYS_FSTAT, f, sc+512); r != 0 {
		t.Fatalf("fstat = %d", int64(r))
	}
	var st [4]byte
	p.Space.CopyIn(st[:], sc+512+uabi.StatMode)
	if m := binary.LittleEndian.Uint32(st[:]); m != uabi.S_IFREG|0o755 {
		t.Errorf("mode %o", m)
	}
	if r := call(uabi.SYS_OPENAT, uint64(0xffffffffffffff9c), cstr(sc, "/bin/uhello"), uabi.O_WRONLY); r != uabi.Errno(uabi.EROFS) {
		t.Errorf("open for writing = %d", int64(r))
	}
	if r := call(uabi.SYS_OPENAT, uint64(0xffffffffffffff9c), cstr(sc, "/proc/1/task/1/stat"), 0); int64(r) < 0 {
		t.Errorf("open /proc/1/task/1/stat = %d", int64(r))
	}
	if got := p.statLine(p.Threads[0]); !strings.HasPrefix(got, "1 (uhello) R 0 1 1 ") || len(strings.Fields(got)) != 52 {
		t.Errorf("stat line %q", got)
	}
}

// TestFork: a plain fork copies memory (the child's writes stay its
// own), shares open pipes, and wait4 returns its status; every frame
// comes back.
func TestFork(t *testing.T) {
	p, a, free0 := newProc(t, "uhello")
	sys := &System{Phys: p.Space.phys, Frames: a, NewPID: func() int { return 2 }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	p.Space.CopyOut(sc, []byte("parent"))
	if r := call(uabi.SYS_PIPE2, sc+64, 0); r != 0 {
		t.Fatalf("pipe2 = %d", int64(r))
	}
	pid := call(uabi.SYS_CLONE, uint64(uabi.SIGCHLD))
	born := sys.Born()
	if pid != 2 || len(born) != 1 || born[0].PID != 2 {
		t.Fatalf("clone = %d, born %v", int64(pid), born)
	}
	c := born[0]
	if c.Threads[0].TF.X[RegA0] != 0 || c.Threads[0].TF.PC != p.Threads[0].TF.PC {
		t.Errorf("child a0 %d pc %#x, parent pc %#x", c.Threads[0].TF.X[RegA0], c.Threads[0].TF.PC, p.Threads[0].TF.PC)
	}
	c.Space.CopyOut(sc, []byte("child!"))
	got := make([]byte, 6)
	p.Space.CopyIn(got, sc)
	if string(got) != "parent" {
		t.Errorf("parent memory after the child's write: %q", got)
	}
	if pp := c.files[3].pipe; pp == nil || pp.readers != 2 || pp.writers != 2 {
		t.Errorf("pipe not shared: %+v", c.files[3])
	}
	if r := call(uabi.SYS_WAIT4, ^uint64(0), sc+128, uabi.WNOHANG, 0); r != 0 {
		t.Errorf("wait4 WNOHANG with a live child = %d", int64(r))
	}
	c.Exit(5, "")
	c.Release()
	if r := call(uabi.SYS_WAIT4, 2, sc+128, 0, 0); r != 2 {
		t.Fatalf("wait4 = %d", int64(r))
	}
	var st [4]byte
	p.Space.CopyIn(st[:], sc+128)
	if ws := binary.LittleEndian.Uint32(st[:]); ws != 5<<8 {
		t.Errorf("status %#x, want 0x500", ws)
	}
	if r := call(uabi.SYS_WAIT4, ^uint64(0), 0, 0, 0); r != uabi.Errno(uabi.ECHILD) {
		t.Errorf("wait4 without children = %d", int64(r))
	}
	p.Exit(0, "")
	p.Release()
	if a.FreeCount() != free0 {
		t.Errorf("frames: %d free, want %d", a.FreeCount(), free0)
	}
}
