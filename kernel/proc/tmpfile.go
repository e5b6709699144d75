package proc

import (
	"strings"

	"copslab/kernel/uabi"
)

// /tmp: the RAM file system (tmpfs.go) as open files and system calls.
//
// Paths are made absolute by resolve and cleaned by splitPath; those
// under /tmp go to the System's tmpFS, the rest to the read-only tree
// (fs.go), where creating, writing, making or removing anything is
// EROFS. lookup shows /tmp's entries as snapshot nodes, so fstatat,
// getdents (d_type) and opening a /tmp directory (a dirOps file whose
// entries are those at open time, as os.ReadDir and os.RemoveAll read
// them) work unchanged. A /tmp file open for reading or writing is a
// tmpFileOps file: read, write, pread, seek, fstat on the live node;
// epoll refuses it (EPERM, like a regular file on Linux), so Go does
// blocking I/O on it.

// splitPath cleans an absolute path into components ("." and ".."
// resolved, as the tree has no links).
func splitPath(path string) []string {
	var parts []string
	for _, s := range strings.Split(path, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, s)
		}
	}
	return parts
}

// tmp is the System's /tmp (nil for a process without a table).
func (p *Proc) tmp() *tmpFS {
	if p.sys == nil {
		return nil
	}
	if p.sys.tmpfs == nil {
		p.sys.tmpfs = newTmpFS(TmpLimit)
	}
	return p.sys.tmpfs
}

// inTmp returns the components below /tmp, ok false for paths outside.
func (p *Proc) inTmp(parts []string) ([]string, bool) {
	if len(parts) == 0 || parts[0] != "tmp" || p.tmp() == nil {
		return nil, false
	}
	return parts[1:], true
}

// tmpNode is the tree's view of a /tmp node (a snapshot).
func (n *tmpNode) node() *node {
	if n.dir {
		return &node{dir: true, ents: n.names(), mode: uabi.S_IFDIR | n.mode}
	}
	return &node{data: n.data, mode: uabi.S_IFREG | n.mode}
}

// tmpFileOps is an open regular file of /tmp.
type tmpFileOps struct {
	noOps
	acc uint64 // O_RDONLY, O_WRONLY or O_RDWR
}

func (o tmpFileOps) accmode() uint64                { return o.acc }
func (tmpFileOps) poll(*Proc, *file) (uint32, bool) { return 0, false }
func (tmpFileOps) stat(f *file) *node               { return f.tmp.node() }
func (o tmpFileOps) canRead() bool                  { return o.acc != uabi.O_WRONLY }
func (o tmpFileOps) canWrite() bool                 { return o.acc != uabi.O_RDONLY }
func (o tmpFileOps) seek(f *file, off int64, whence uint64) uint64 {
	switch whence {
	case 0:
	case 1:
		off += f.off
	case 2:
		off += int64(len(f.tmp.data))
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	if off < 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	f.off = off
	return uint64(off)
}

func (o tmpFileOps) read(c *call, f *file, buf, n uint64) uint64 {
	r := o.pread(c, f, buf, n, f.off)
	if int64(r) >= 0 {
		f.off += int64(r)
	}
	return r
}

func (o tmpFileOps) pread(c *call, f *file, buf, n uint64, off int64) uint64 {
	if !o.canRead() {
		return uabi.Errno(uabi.EBADF)
	}
	if off < 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	b := make([]byte, min(n, maxIO))
	k := f.tmp.readAt(off, b)
	if k > 0 && c.p.put(buf, b[:k]) != 0 {
		return efault
	}
	return uint64(k)
}

func (o tmpFileOps) write(c *call, f *file, buf, n uint64) uint64 {
	if !o.canWrite() {
		return uabi.Errno(uabi.EBADF)
	}
	if f.appendMode {
		f.off = int64(len(f.tmp.data))
	}
	r := o.pwrite(c, f, buf, n, f.off)
	if int64(r) >= 0 {
		f.off += int64(r)
	}
	return r
}

func (o tmpFileOps) pwrite(c *call, f *file, buf, n uint64, off int64) uint64 {
	if !o.canWrite() {
		return uabi.Errno(uabi.EBADF)
	}
	b := make([]byte, min(n, maxIO))
	if c.p.Space.CopyIn(b, buf) != nil {
		return efault
	}
	if e := c.p.tmp().writeAt(f.tmp, off, b); e != 0 {
		return uabi.Errno(e)
	}
	return uint64(len(b))
}

// openTmp opens (or creates) a /tmp path; parts are below /tmp.
func (p *Proc) openTmp(parts []string, path string, flags, mode uint64) uint64 {
	fs := p.tmp()
	acc := flags & uabi.O_ACCMODE
	var n *tmpNode
	if flags&uabi.O_CREAT != 0 {
		var e int
		if n, e = fs.create(parts, uint32(mode), flags&uabi.O_EXCL != 0); e != 0 {
			return uabi.Errno(e)
		}
	} else {
		var e int
		if n, e = fs.walk(parts); e != 0 {
			return uabi.Errno(e)
		}
	}
	switch {
	case n.dir && acc != uabi.O_RDONLY:
		return uabi.Errno(uabi.EISDIR)
	case !n.dir && flags&uabi.O_DIRECTORY != 0:
		return uabi.Errno(uabi.ENOTDIR)
	}
	fd := p.lowestFD(0)
	if fd < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	var f *file
	if n.dir {
		f = &file{ops: dirOps{}, node: n.node(), path: path}
	} else {
		if flags&uabi.O_TRUNC != 0 && acc != uabi.O_RDONLY {
			if e := fs.resize(n, 0); e != 0 {
				return uabi.Errno(e)
			}
		}
		f = &file{ops: tmpFileOps{acc: acc}, tmp: n, path: path, appendMode: flags&uabi.O_APPEND != 0}
	}
	p.installAt(uint64(fd), f, flags&uabi.O_CLOEXEC != 0)
	return uint64(fd)
}

// pathArg reads a path argument and resolves it against dirfd.
func (c *call) pathArg(dirfd, va uint64) ([]string, string, uint64) {
	path, err := c.p.Space.CopyInString(va, 4096)
	if err != nil {
		return nil, "", efault
	}
	abs, errno := c.p.resolve(int64(int32(dirfd)), path)
	if errno != 0 {
		return nil, "", errno
	}
	parts := splitPath(abs)
	return parts, "/" + strings.Join(parts, "/"), 0
}

// readOnly is the error for changing the tree outside /tmp: ENOENT if
// the parent does not exist, else EROFS.
func (p *Proc) readOnly(parts []string) uint64 {
	if len(parts) > 0 && p.lookup("/"+strings.Join(parts[:len(parts)-1], "/")) == nil {
		return uabi.Errno(uabi.ENOENT)
	}
	return uabi.Errno(uabi.EROFS)
}

// mkdirat(dirfd, path, mode)
func (c *call) mkdirat() uint64 {
	parts, _, errno := c.pathArg(c.a[0], c.a[1])
	if errno != 0 {
		return errno
	}
	if rest, ok := c.p.inTmp(parts); ok {
		return uabi.Errno(c.p.tmp().mkdir(rest, uint32(c.a[2])))
	}
	if c.p.lookup("/"+strings.Join(parts, "/")) != nil {
		return uabi.Errno(uabi.EEXIST)
	}
	return c.p.readOnly(parts)
}

// unlinkat(dirfd, path, flags): AT_REMOVEDIR removes a directory.
func (c *call) unlinkat() uint64 {
	parts, _, errno := c.pathArg(c.a[0], c.a[1])
	if errno != 0 {
		return errno
	}
	if rest, ok := c.p.inTmp(parts); ok {
		return uabi.Errno(c.p.tmp().unlink(rest, c.a[2]&uabi.AT_REMOVEDIR != 0))
	}
	if c.p.lookup("/"+strings.Join(parts, "/")) == nil {
		return uabi.Errno(uabi.ENOENT)
	}
	return uabi.Errno(uabi.EROFS)
}

// renameat2(olddirfd, old, newdirfd, new, flags): within /tmp only
// (EXDEV between /tmp and the tree, EROFS inside the tree); flags
// other than 0 are EINVAL.
func (c *call) renameat2() uint64 {
	if c.a[4] != 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	from, _, errno := c.pathArg(c.a[0], c.a[1])
	if errno != 0 {
		return errno
	}
	to, _, errno := c.pathArg(c.a[2], c.a[3])
	if errno != 0 {
		return errno
	}
	rf, okf := c.p.inTmp(from)
	rt, okt := c.p.inTmp(to)
	switch {
	case okf && okt:
		return uabi.Errno(c.p.tmp().rename(rf, rt))
	case okf || okt:
		return uabi.Errno(uabi.EXDEV)
	}
	return uabi.Errno(uabi.EROFS)
}

// ftruncate(fd, length) on a /tmp file open for writing.
func (c *call) ftruncate() uint64 {
	f := c.fileOf(c.a[0])
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	o, ok := f.ops.(tmpFileOps)
	if !ok || !o.canWrite() {
		return uabi.Errno(uabi.EINVAL)
	}
	return uabi.Errno(c.p.tmp().resize(f.tmp, int64(c.a[1])))
}

// pwrite64(fd, buf, n, off) on a /tmp file.
func (c *call) pwrite() uint64 {
	f := c.fileOf(c.a[0])
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	if o, ok := f.ops.(tmpFileOps); ok {
		return o.pwrite(c, f, c.a[1], c.a[2], int64(c.a[3]))
	}
	return uabi.Errno(uabi.ESPIPE)
}
