package proc

import (
	"testing"

	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
)

// TestChdir: chdir and fchdir move the working directory (only to
// directories), getcwd reports it, relative names resolve against it,
// and a forked child starts where its parent is.
func TestChdir(t *testing.T) {
	p, a, _ := newProc(t, "uhello")
	pids := 100
	sys := &System{Phys: p.Space.phys, Frames: a, Program: func(n string) ([]byte, bool) {
		pr, ok := uprog.Lookup(n)
		return pr.ELF, ok
	}, Names: uprog.Names, NewPID: func() int { pids++; return pids }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	const cwd = uint64(0xffffffffffffff9c) // AT_FDCWD
	str := func(s string) uint64 { p.Space.CopyOut(sc, append([]byte(s), 0)); return sc }
	want := func(what string, got, w uint64) {
		t.Helper()
		if got != w {
			t.Errorf("%s = %d, want %d", what, int64(got), int64(w))
		}
	}
	getcwd := func(p *Proc, call func(uint64, ...uint64) uint64) string {
		n := call(uabi.SYS_GETCWD, sc+512, 256)
		if int64(n) <= 0 {
			t.Fatalf("getcwd = %d", int64(n))
		}
		b := make([]byte, n-1)
		p.Space.CopyIn(b, sc+512)
		return string(b)
	}
	want("chdir /tmp", call(uabi.SYS_CHDIR, str("/tmp")), 0)
	want("mkdir d (relative)", call(uabi.SYS_MKDIRAT, cwd, str("d"), 0o700), 0)
	want("chdir d", call(uabi.SYS_CHDIR, str("d")), 0)
	if got := getcwd(p, call); got != "/tmp/d" {
		t.Errorf("getcwd = %q, want /tmp/d", got)
	}
	fd := call(uabi.SYS_OPENAT, cwd, str("f"), uabi.O_RDWR|uabi.O_CREAT, 0o600)
	if int64(fd) < 0 || p.lookup("/tmp/d/f") == nil {
		t.Errorf("create by a relative name = %d; /tmp/d/f exists: %v", int64(fd), p.lookup("/tmp/d/f") != nil)
	}
	want("chdir to a file", call(uabi.SYS_CHDIR, str("f")), uabi.Errno(uabi.ENOTDIR))
	want("chdir to nothing", call(uabi.SYS_CHDIR, str("/nope")), uabi.Errno(uabi.ENOENT))
	want("fchdir on a file", call(uabi.SYS_FCHDIR, fd), uabi.Errno(uabi.ENOTDIR))
	want("chdir ../..", call(uabi.SYS_CHDIR, str("../..")), 0)
	if got := getcwd(p, call); got != "/" {
		t.Errorf("getcwd after ../.. = %q", got)
	}
	dfd := call(uabi.SYS_OPENAT, cwd, str("proc"), uabi.O_DIRECTORY, 0)
	want("fchdir /proc", call(uabi.SYS_FCHDIR, dfd), 0)
	if got := getcwd(p, call); got != "/proc" {
		t.Errorf("getcwd after fchdir = %q", got)
	}
	call(uabi.SYS_CLONE, uint64(uabi.SIGCHLD))
	c := sys.Born()[0]
	if got := c.workDir(); got != "/proc" {
		t.Errorf("child's working directory %q, want its parent's /proc", got)
	}
}
