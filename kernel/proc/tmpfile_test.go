package proc

import (
	"encoding/binary"
	"strings"
	"testing"

	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
)

// TestTmpCalls: /tmp through the system calls — create, write, seek,
// read, pread/pwrite, truncate, fstat, rename, readdir, unlink, mkdir,
// rmdir; EROFS (not ENOENT) for creating outside /tmp; the identity
// calls (uname, getcwd, readlinkat of /proc/self/exe, getuid…).
func TestTmpCalls(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	sys := &System{Program: func(n string) ([]byte, bool) {
		pr, ok := uprog.Lookup(n)
		return pr.ELF, ok
	}, Names: uprog.Names, NewPID: func() int { return 100 }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	const cwd = uint64(0xffffffffffffff9c) // AT_FDCWD
	str := func(va uint64, s string) uint64 { p.Space.CopyOut(va, append([]byte(s), 0)); return va }
	want := func(what string, got, w uint64) {
		t.Helper()
		if got != w {
			t.Errorf("%s = %d, want %d", what, int64(got), int64(w))
		}
	}
	buf := sc + 1024
	want("mkdir /tmp/d", call(uabi.SYS_MKDIRAT, cwd, str(sc, "/tmp/d"), 0o700), 0)
	fd := call(uabi.SYS_OPENAT, cwd, str(sc, "/tmp/d/f"), uabi.O_RDWR|uabi.O_CREAT|uabi.O_EXCL, 0o600)
	if int64(fd) < 0 {
		t.Fatalf("create = %d", int64(fd))
	}
	p.Space.CopyOut(buf, []byte("hello, world"))
	want("write", call(uabi.SYS_WRITE, fd, buf, 12), 12)
	want("lseek", call(uabi.SYS_LSEEK, fd, 7, 0), 7)
	want("read", call(uabi.SYS_READ, fd, buf+100, 100), 5)
	got := make([]byte, 5)
	p.Space.CopyIn(got, buf+100)
	if string(got) != "world" {
		t.Errorf("read %q", got)
	}
	want("pwrite", call(uabi.SYS_PWRITE64, fd, buf, 5, 20), 5)
	want("pread", call(uabi.SYS_PREAD64, fd, buf+100, 100, 20), 5)
	want("ftruncate", call(uabi.SYS_FTRUNCATE, fd, 3), 0)
	want("fstat", call(uabi.SYS_FSTAT, fd, buf), 0)
	var st [8]byte
	p.Space.CopyIn(st[:], buf+uabi.StatSize)
	if n := binary.LittleEndian.Uint64(st[:]); n != 3 {
		t.Errorf("size after truncate %d", n)
	}
	want("epoll refuses a file", call(uabi.SYS_EPOLL_CTL, call(uabi.SYS_EPOLL_CREATE1, 0), 1, fd, buf), uabi.Errno(uabi.EPERM))
	want("close", call(uabi.SYS_CLOSE, fd), 0)
	want("O_EXCL again", call(uabi.SYS_OPENAT, cwd, str(sc, "/tmp/d/f"), uabi.O_RDWR|uabi.O_CREAT|uabi.O_EXCL, 0o600), uabi.Errno(uabi.EEXIST))
	want("rename", call(uabi.SYS_RENAMEAT2, cwd, str(sc, "/tmp/d/f"), cwd, str(sc+256, "/tmp/d/g"), 0), 0)
	want("rename out of /tmp", call(uabi.SYS_RENAMEAT2, cwd, str(sc, "/tmp/d/g"), cwd, str(sc+256, "/g"), 0), uabi.Errno(uabi.EXDEV))
	want("stat old name", call(uabi.SYS_NEWFSTATAT, cwd, str(sc, "/tmp/d/f"), buf, 0), uabi.Errno(uabi.ENOENT))
	want("stat new name", call(uabi.SYS_NEWFSTATAT, cwd, str(sc, "/tmp/d/g"), buf, 0), 0)
	dfd := call(uabi.SYS_OPENAT, cwd, str(sc, "/tmp/d"), uabi.O_DIRECTORY)
	n := call(uabi.SYS_GETDENTS64, dfd, buf, 2048)
	ents := make([]byte, n)
	p.Space.CopyIn(ents, buf)
	if !strings.Contains(string(ents), "g\x00") || strings.Contains(string(ents), "f\x00") {
		t.Errorf("getdents64 of /tmp/d: %q", ents)
	}
	want("rmdir non-empty", call(uabi.SYS_UNLINKAT, cwd, str(sc, "/tmp/d"), uabi.AT_REMOVEDIR), uabi.Errno(uabi.ENOTEMPTY))
	want("unlink relative to the directory", call(uabi.SYS_UNLINKAT, dfd, str(sc, "g"), 0), 0)
	want("rmdir", call(uabi.SYS_UNLINKAT, cwd, str(sc, "/tmp/d"), uabi.AT_REMOVEDIR), 0)
	// Outside /tmp: read-only, and said so before "no such file".
	want("create in /bin", call(uabi.SYS_OPENAT, cwd, str(sc, "/bin/new"), uabi.O_WRONLY|uabi.O_CREAT, 0o644), uabi.Errno(uabi.EROFS))
	want("create in a missing directory", call(uabi.SYS_OPENAT, cwd, str(sc, "/nope/new"), uabi.O_WRONLY|uabi.O_CREAT, 0o644), uabi.Errno(uabi.ENOENT))
	want("mkdir in /", call(uabi.SYS_MKDIRAT, cwd, str(sc, "/home"), 0o755), uabi.Errno(uabi.EROFS))
	want("unlink in /bin", call(uabi.SYS_UNLINKAT, cwd, str(sc, "/bin/uhello"), 0), uabi.Errno(uabi.EROFS))

	// Who and where.
	want("uname", call(uabi.SYS_UNAME, buf), 0)
	u := make([]byte, 6*65)
	p.Space.CopyIn(u, buf)
	field := func(i int) string { return strings.TrimRight(string(u[i*65:(i+1)*65]), "\x00") }
	if field(0) != "Linux" || field(1) != "copslab" || field(4) != "riscv64" {
		t.Errorf("uname: %q %q %q", field(0), field(1), field(4))
	}
	want("getcwd", call(uabi.SYS_GETCWD, buf, 100), 2)
	want("getcwd into 1 byte", call(uabi.SYS_GETCWD, buf, 1), uabi.Errno(uabi.ERANGE))
	want("readlink /proc/self/exe", call(uabi.SYS_READLINKAT, cwd, str(sc, "/proc/self/exe"), buf, 100), uint64(len("/bin/uhello")))
	exe := make([]byte, len("/bin/uhello"))
	p.Space.CopyIn(exe, buf)
	if string(exe) != "/bin/uhello" {
		t.Errorf("exe %q", exe)
	}
	want("readlink of a file", call(uabi.SYS_READLINKAT, cwd, str(sc, "/bin/uhello"), buf, 100), uabi.Errno(uabi.EINVAL))
	for _, nr := range []uint64{uabi.SYS_GETUID, uabi.SYS_GETEUID, uabi.SYS_GETGID, uabi.SYS_GETEGID} {
		want(uabi.SyscallName(nr), call(nr), 0)
	}
}
