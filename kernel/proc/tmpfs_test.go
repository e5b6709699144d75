package proc

import (
	"bytes"
	"strings"
	"testing"

	"copslab/kernel/uabi"
)

func tp(path string) []string { return strings.Split(path, "/") }

// TestTmpFS: create, write, read, truncate, rename, unlink, mkdir,
// rmdir and the size limit, each with Linux's errors.
func TestTmpFS(t *testing.T) {
	fs := newTmpFS(1 << 20)
	want := func(what string, got, e int) {
		t.Helper()
		if got != e {
			t.Errorf("%s: errno %d, want %d", what, got, e)
		}
	}
	f, e := fs.create(tp("a.txt"), 0o644, true)
	want("create", e, 0)
	want("write", fs.writeAt(f, 0, []byte("hello")), 0)
	want("write past the end", fs.writeAt(f, 8, []byte("!")), 0)
	b := make([]byte, 16)
	if n := f.readAt(0, b); !bytes.Equal(b[:n], []byte("hello\x00\x00\x00!")) {
		t.Errorf("read %q", b[:n])
	}
	_, e = fs.create(tp("a.txt"), 0o644, true)
	want("O_EXCL on an existing file", e, uabi.EEXIST)
	want("truncate", fs.resize(f, 2), 0)
	if n := f.readAt(0, b); string(b[:n]) != "he" || fs.used != 2 {
		t.Errorf("after truncate %q, used %d", b[:n], fs.used)
	}
	want("mkdir", fs.mkdir(tp("d"), 0o755), 0)
	want("mkdir again", fs.mkdir(tp("d"), 0o755), uabi.EEXIST)
	want("mkdir without parent", fs.mkdir(tp("x/y"), 0o755), uabi.ENOENT)
	_, e = fs.create(tp("a.txt/b"), 0o644, false)
	want("file as directory", e, uabi.ENOTDIR)
	want("rename into d", fs.rename(tp("a.txt"), tp("d/b.txt")), 0)
	if _, e := fs.walk(tp("a.txt")); e != uabi.ENOENT {
		t.Errorf("old name still there: %d", e)
	}
	if n, e := fs.walk(tp("d/b.txt")); e != 0 || n != f {
		t.Errorf("new name: %v %d", n, e)
	}
	want("rename a directory into itself", fs.rename(tp("d"), tp("d/e")), uabi.EINVAL)
	want("rmdir non-empty", fs.unlink(tp("d"), true), uabi.ENOTEMPTY)
	want("unlink a directory", fs.unlink(tp("d"), false), uabi.EISDIR)
	want("rmdir a file", fs.unlink(tp("d/b.txt"), true), uabi.ENOTDIR)
	want("unlink", fs.unlink(tp("d/b.txt"), false), 0)
	want("unlink again", fs.unlink(tp("d/b.txt"), false), uabi.ENOENT)
	want("rmdir", fs.unlink(tp("d"), true), 0)
	if fs.used != 0 || len(fs.root.ents) != 0 {
		t.Errorf("after removing everything: used %d, entries %v", fs.used, fs.root.names())
	}
	// The limit: a write that does not fit changes nothing.
	g, _ := fs.create(tp("big"), 0o600, false)
	want("fill", fs.writeAt(g, 0, make([]byte, 1<<20)), 0)
	h, _ := fs.create(tp("more"), 0o600, false)
	want("over the limit", fs.writeAt(h, 0, []byte("x")), uabi.ENOSPC)
	if len(h.data) != 0 || fs.used != 1<<20 {
		t.Errorf("failed write left %d bytes, used %d", len(h.data), fs.used)
	}
	want("free by unlink", fs.unlink(tp("big"), false), 0)
	want("fits again", fs.writeAt(h, 0, []byte("x")), 0)
	if got := fs.root.names(); len(got) != 1 || got[0] != "more" {
		t.Errorf("entries %v", got)
	}
}
