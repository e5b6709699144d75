package proc

import (
	"sort"

	"copslab/kernel/uabi"
)

// A RAM file system for /tmp.
//
// Programs write temporary files (os.WriteFile, os.CreateTemp,
// os.MkdirTemp, test helpers) and expect /tmp to be writable. tmpFS is
// that file system as a plain data structure: a tree of directories and
// regular files whose bytes live in Go memory (the kernel's heap, not
// the frame pool), shared by every process of one System, gone at
// power-off. Paths are already split into components below the mount
// point (the caller resolves "." and ".."); every operation returns 0
// or an errno, as the system call will. File data is bounded by limit
// (bytes): a write or truncate that would pass it fails with ENOSPC and
// changes nothing.
type tmpFS struct {
	root  *tmpNode
	used  int64 // bytes of file data
	limit int64
	ino   uint64 // last inode number handed out
}

// tmpNode is a file or a directory.
type tmpNode struct {
	dir   bool
	data  []byte              // regular file
	ents  map[string]*tmpNode // directory
	mode  uint32              // permission bits
	ino   uint64
	nlink int // names referring to it (0: unlinked, alive while open)
}

// TmpLimit is /tmp's size: file data beyond it gives ENOSPC. The bytes
// live in the kernel's heap, which keeps at least 48 MiB of RAM.
const TmpLimit = 16 << 20

func newTmpFS(limit int64) *tmpFS {
	fs := &tmpFS{limit: limit}
	fs.root = fs.newNode(true, 0o1777)
	return fs
}

func (fs *tmpFS) newNode(dir bool, mode uint32) *tmpNode {
	fs.ino++
	n := &tmpNode{dir: dir, mode: mode & 0o7777, ino: fs.ino, nlink: 1}
	if dir {
		n.ents = map[string]*tmpNode{}
	}
	return n
}

// walk finds the node at parts.
func (fs *tmpFS) walk(parts []string) (*tmpNode, int) {
	n := fs.root
	for _, name := range parts {
		if !n.dir {
			return nil, uabi.ENOTDIR
		}
		c, ok := n.ents[name]
		if !ok {
			return nil, uabi.ENOENT
		}
		n = c
	}
	return n, 0
}

// parent finds the directory holding the last component of parts.
func (fs *tmpFS) parent(parts []string) (*tmpNode, string, int) {
	if len(parts) == 0 {
		return nil, "", uabi.EBUSY // the mount point itself
	}
	d, e := fs.walk(parts[:len(parts)-1])
	if e != 0 {
		return nil, "", e
	}
	if !d.dir {
		return nil, "", uabi.ENOTDIR
	}
	name := parts[len(parts)-1]
	if len(name) > 255 {
		return nil, "", uabi.ENAMETOOLONG
	}
	return d, name, 0
}

// create returns the regular file at parts, making it (with mode) if it
// does not exist; excl makes an existing one EEXIST.
func (fs *tmpFS) create(parts []string, mode uint32, excl bool) (*tmpNode, int) {
	d, name, e := fs.parent(parts)
	if e != 0 {
		if e == uabi.EBUSY {
			e = uabi.EISDIR
		}
		return nil, e
	}
	if n, ok := d.ents[name]; ok {
		if excl {
			return nil, uabi.EEXIST
		}
		if n.dir {
			return nil, uabi.EISDIR
		}
		return n, 0
	}
	n := fs.newNode(false, mode)
	d.ents[name] = n
	return n, 0
}

// mkdir makes the directory parts.
func (fs *tmpFS) mkdir(parts []string, mode uint32) int {
	d, name, e := fs.parent(parts)
	if e != 0 {
		if e == uabi.EBUSY {
			e = uabi.EEXIST
		}
		return e
	}
	if _, ok := d.ents[name]; ok {
		return uabi.EEXIST
	}
	d.ents[name] = fs.newNode(true, mode)
	return 0
}

// unlink removes the name parts: a file (rmdir false) or an empty
// directory (rmdir true, unlinkat's AT_REMOVEDIR). An open file stays
// readable until closed; its bytes are given back now.
func (fs *tmpFS) unlink(parts []string, rmdir bool) int {
	d, name, e := fs.parent(parts)
	if e != 0 {
		return e
	}
	n, ok := d.ents[name]
	switch {
	case !ok:
		return uabi.ENOENT
	case rmdir && !n.dir:
		return uabi.ENOTDIR
	case !rmdir && n.dir:
		return uabi.EISDIR
	case n.dir && len(n.ents) > 0:
		return uabi.ENOTEMPTY
	}
	delete(d.ents, name)
	n.nlink--
	if !n.dir && n.nlink == 0 {
		fs.used -= int64(len(n.data))
		n.data = nil
	}
	return 0
}

// rename moves from to to, replacing a file there (or an empty
// directory, when from is a directory), as rename(2) does.
func (fs *tmpFS) rename(from, to []string) int {
	fd, fname, e := fs.parent(from)
	if e != 0 {
		return e
	}
	n, ok := fd.ents[fname]
	if !ok {
		return uabi.ENOENT
	}
	td, tname, e := fs.parent(to)
	if e != 0 {
		return e
	}
	if n.dir && len(to) > len(from) && equalParts(to[:len(from)], from) {
		return uabi.EINVAL // into itself
	}
	if old, ok := td.ents[tname]; ok {
		if old == n {
			return 0
		}
		switch {
		case n.dir && !old.dir:
			return uabi.ENOTDIR
		case !n.dir && old.dir:
			return uabi.EISDIR
		case old.dir && len(old.ents) > 0:
			return uabi.ENOTEMPTY
		}
		old.nlink--
		if !old.dir && old.nlink == 0 {
			fs.used -= int64(len(old.data))
			old.data = nil
		}
	}
	delete(fd.ents, fname)
	td.ents[tname] = n
	return 0
}

func equalParts(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// resize sets a file's length (truncate, or a write past its end).
func (fs *tmpFS) resize(n *tmpNode, size int64) int {
	if size < 0 {
		return uabi.EINVAL
	}
	grow := size - int64(len(n.data))
	if n.nlink > 0 && fs.used+grow > fs.limit {
		return uabi.ENOSPC
	}
	if size <= int64(cap(n.data)) {
		old := len(n.data)
		n.data = n.data[:size]
		if size > int64(old) {
			clear(n.data[old:])
		}
	} else {
		nd := make([]byte, size, max(size, 2*int64(len(n.data))))
		copy(nd, n.data)
		n.data = nd
	}
	if n.nlink > 0 {
		fs.used += grow
	}
	return 0
}

// writeAt writes b at off, growing the file; it writes all of b or
// nothing.
func (fs *tmpFS) writeAt(n *tmpNode, off int64, b []byte) int {
	if off < 0 {
		return uabi.EINVAL
	}
	if end := off + int64(len(b)); end > int64(len(n.data)) {
		if e := fs.resize(n, end); e != 0 {
			return e
		}
	}
	copy(n.data[off:], b)
	return 0
}

// readAt copies the file's bytes at off into b and returns the count
// (0 at or past the end).
func (n *tmpNode) readAt(off int64, b []byte) int {
	if off < 0 || off >= int64(len(n.data)) {
		return 0
	}
	return copy(b, n.data[off:])
}

// names lists a directory's entries in order.
func (n *tmpNode) names() []string {
	s := make([]string, 0, len(n.ents))
	for k := range n.ents {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}
