package proc

import (
	"encoding/binary"

	"strconv"
	"strings"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// A tiny read-only file tree, computed on each lookup:
//
//	/bin/NAME                  the embedded programs (mode 0755, their ELF bytes)
//	/dev/null                  reads give end of file, writes are discarded
//	/proc/PID/task/TID/stat    proc(5)'s stat line for each thread: pid,
//	                           (name), state, ... field 18 priority (20+nice)
//	/proc/meminfo              "MemFree: N kB": the frame pool's free frames
//	                           (what user memory, page tables and Locals take)
//
// openat (read-only), fstat, newfstatat, lseek, getdents64, read and
// pread64 work on it; the working directory is always /.

// node is one file or directory of the tree.
type node struct {
	dir  bool
	ents []string // directory entries
	data []byte   // file contents
	null bool     // /dev/null
	mode uint32
}

// treeFileOps is an open file of the tree, dirOps a directory, nullOps
// /dev/null. All three seek; only files read data.
type (
	treeFileOps struct{ treeOps }
	dirOps      struct{ treeOps }
	nullOps     struct{ treeOps }
	treeOps     struct{ noOps }
)

func (treeFileOps) read(c *call, f *file, buf, n uint64) uint64 {
	return c.p.readFile(f, buf, n, f.off, true)
}

func (treeFileOps) pread(c *call, f *file, buf, n uint64, off int64) uint64 {
	return c.p.readFile(f, buf, n, off, false)
}

func (dirOps) read(*call, *file, uint64, uint64) uint64         { return uabi.Errno(uabi.EISDIR) }
func (dirOps) pread(*call, *file, uint64, uint64, int64) uint64 { return uabi.Errno(uabi.EISDIR) }

func (nullOps) read(*call, *file, uint64, uint64) uint64         { return 0 }
func (nullOps) pread(*call, *file, uint64, uint64, int64) uint64 { return 0 }
func (nullOps) write(c *call, f *file, buf, n uint64) uint64     { return n }

func (treeOps) stat(f *file) *node { return f.node }

func (treeOps) seek(f *file, off int64, whence uint64) uint64 {
	size := int64(len(f.node.data))
	switch whence {
	case 0:
	case 1:
		off += f.off
	case 2:
		off += size
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	if off < 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	f.off = off
	return uint64(off)
}

// dir is the open directory on fd, or nil.
func (p *Proc) dir(fd uint64) *file {
	if f := p.files[fd]; f != nil {
		if _, ok := f.ops.(dirOps); ok {
			return f
		}
	}
	return nil
}

// lookup finds path (absolute, or relative to /).
func (p *Proc) lookup(path string) *node {
	parts := splitPath(path)
	s := p.sys
	dir := func(e ...string) *node { return &node{dir: true, ents: e, mode: uabi.S_IFDIR | 0o555} }
	switch {
	case len(parts) == 0:
		if p.tmp() != nil {
			return dir("bin", "dev", "proc", "tmp")
		}
		return dir("bin", "dev", "proc")
	case parts[0] == "tmp" && p.tmp() != nil:
		n, e := p.tmp().walk(parts[1:])
		if e != 0 {
			return nil
		}
		return n.node()
	case parts[0] == "bin" && len(parts) == 1:
		if s == nil || s.Names == nil {
			return dir()
		}
		return dir(s.Names()...)
	case parts[0] == "bin" && len(parts) == 2 && s != nil:
		if b, ok := s.Program(parts[1]); ok {
			return &node{data: b, mode: uabi.S_IFREG | 0o755}
		}
	case parts[0] == "dev" && len(parts) == 1:
		return dir("null")
	case parts[0] == "dev" && len(parts) == 2 && parts[1] == "null":
		return &node{null: true, mode: uabi.S_IFCHR | 0o666}
	case parts[0] == "proc" && s != nil:
		return s.procNode(parts[1:], dir)
	}
	return nil
}

// procNode serves /proc.
func (s *System) procNode(parts []string, dir func(...string) *node) *node {
	if len(parts) == 1 && parts[0] == "meminfo" && s.Frames != nil {
		free := s.Frames.FreeCount() * PageSize / 1024
		return &node{data: []byte("MemFree: " + strconv.Itoa(free) + " kB\n"), mode: uabi.S_IFREG | 0o444}
	}
	if len(parts) == 0 {
		var e []string
		if s.Frames != nil {
			e = append(e, "meminfo")
		}
		for _, q := range s.Procs() {
			if !q.Exited {
				e = append(e, strconv.Itoa(q.PID))
			}
		}
		return dir(e...)
	}
	pid, err := strconv.Atoi(parts[0])
	q := s.Lookup(pid)
	if err != nil || q == nil || q.Exited {
		return nil
	}
	switch {
	case len(parts) == 1:
		return dir("task")
	case len(parts) == 2 && parts[1] == "task":
		var e []string
		for _, t := range q.Threads {
			if t.live() {
				e = append(e, strconv.Itoa(t.TID))
			}
		}
		return dir(e...)
	case len(parts) >= 3 && parts[1] == "task":
		tid, _ := strconv.Atoi(parts[2])
		for _, t := range q.Threads {
			if t.TID != tid || !t.live() {
				continue
			}
			if len(parts) == 3 {
				return dir("stat")
			}
			if len(parts) == 4 && parts[3] == "stat" {
				return &node{data: []byte(q.statLine(t)), mode: uabi.S_IFREG | 0o444}
			}
		}
	}
	return nil
}

// stateLetter is proc(5)'s state: R running/runnable, S sleeping.
func (t *Thread) stateLetter() string {
	if t.state == sched.Ready || t.state == sched.Running {
		return "R"
	}
	return "S"
}

// statLine is proc(5)'s stat format for thread t (52 fields; those the
// kernel does not track are 0).
func (p *Proc) statLine(t *Thread) string {
	ppid := 0
	if p.Parent != nil {
		ppid = p.Parent.PID
	}
	f := []string{strconv.Itoa(t.TID), "(" + p.Name + ")", t.stateLetter(), strconv.Itoa(ppid), strconv.Itoa(p.PID), strconv.Itoa(p.PID)}
	for len(f) < 17 {
		f = append(f, "0")
	}
	f = append(f, strconv.Itoa(20+t.Nice), strconv.Itoa(t.Nice), strconv.Itoa(len(p.Threads)))
	for len(f) < 52 {
		f = append(f, "0")
	}
	return strings.Join(f, " ") + "\n"
}

func (c *call) fstat() uint64 {
	f := c.p.files[c.a[0]]
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	return c.p.putStat(c.a[1], f.ops.stat(f))
}

// resolve makes path absolute: relative paths start at the working
// directory (AT_FDCWD) or at the directory open on dirfd.
func (p *Proc) resolve(dirfd int64, path string) (string, uint64) {
	if path == "" {
		return "", uabi.Errno(uabi.ENOENT)
	}
	if strings.HasPrefix(path, "/") {
		return "/" + path, 0
	}
	if dirfd == uabi.AT_FDCWD {
		return p.workDir() + "/" + path, 0
	}
	switch {
	case dirfd < 0 || p.files[uint64(dirfd)] == nil:
		return "", uabi.Errno(uabi.EBADF)
	case p.dir(uint64(dirfd)) == nil:
		return "", uabi.Errno(uabi.ENOTDIR)
	}
	return p.files[uint64(dirfd)].path + "/" + path, 0
}

func (p *Proc) openat(dirfd int64, pathVA, flags, mode uint64) uint64 {
	path, err := p.Space.CopyInString(pathVA, 4096)
	if err != nil {
		return efault
	}
	path, errno := p.resolve(dirfd, path)
	if errno != 0 {
		return errno
	}
	parts := splitPath(path)
	if rest, ok := p.inTmp(parts); ok {
		return p.openTmp(rest, "/"+strings.Join(parts, "/"), flags, mode)
	}
	n := p.lookup(path)
	switch {
	case n == nil && flags&uabi.O_CREAT != 0:
		return p.readOnly(parts)
	case n == nil:
		return uabi.Errno(uabi.ENOENT)
	case flags&uabi.O_ACCMODE != 0 && !n.null:
		if n.dir {
			return uabi.Errno(uabi.EISDIR)
		}
		return uabi.Errno(uabi.EROFS)
	case flags&uabi.O_DIRECTORY != 0 && !n.dir:
		return uabi.Errno(uabi.ENOTDIR)
	}
	fd := p.lowestFD(0)
	if fd < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	f := &file{ops: treeFileOps{}, node: n, path: path}
	if n.dir {
		f.ops = dirOps{}
	} else if n.null {
		f.ops = nullOps{}
	}
	p.installAt(uint64(fd), f, flags&uabi.O_CLOEXEC != 0)
	return uint64(fd)
}

func (p *Proc) fstatat(dirfd int64, pathVA, statVA, flags uint64) uint64 {
	path, err := p.Space.CopyInString(pathVA, 4096)
	if err != nil {
		return efault
	}
	if path == "" && flags&uabi.AT_EMPTY_PATH != 0 {
		f := p.files[uint64(dirfd)]
		if f == nil {
			return uabi.Errno(uabi.EBADF)
		}
		return p.putStat(statVA, f.ops.stat(f))
	}
	path, errno := p.resolve(dirfd, path)
	if errno != 0 {
		return errno
	}
	n := p.lookup(path)
	if n == nil {
		return uabi.Errno(uabi.ENOENT)
	}
	return p.putStat(statVA, n)
}

func (p *Proc) putStat(va uint64, n *node) uint64 {
	b := make([]byte, uabi.StatSizeBytes)
	le := binary.LittleEndian
	le.PutUint32(b[uabi.StatMode:], n.mode)
	le.PutUint32(b[uabi.StatNlink:], 1)
	le.PutUint64(b[uabi.StatSize:], uint64(len(n.data)))
	le.PutUint32(b[uabi.StatBlksize:], PageSize)
	le.PutUint64(b[uabi.StatBlocks:], uint64(len(n.data)+511)/512)
	if va == 0 || p.put(va, b) != 0 {
		return efault
	}
	return 0
}

func (p *Proc) readFile(f *file, buf, n uint64, off int64, advance bool) uint64 {
	data := f.node.data
	if off < 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	if off >= int64(len(data)) || n == 0 {
		return 0
	}
	k := min(n, uint64(int64(len(data))-off), maxIO)
	if buf == 0 || p.put(buf, data[off:off+int64(k)]) != 0 {
		return efault
	}
	if advance {
		f.off += int64(k)
	}
	return k
}

func (p *Proc) lseek(fd uint64, off int64, whence uint64) uint64 {
	f := p.files[fd]
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	return f.ops.seek(f, off, whence)
}

// getdents writes linux_dirent64 records from the directory's position
// (an entry index) on.
func (p *Proc) getdents(fd, buf, n uint64) uint64 {
	f := p.files[fd]
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	if p.dir(fd) == nil {
		return uabi.Errno(uabi.ENOTDIR)
	}
	ents := append([]string{".", ".."}, f.node.ents...)
	var out []byte
	for f.off < int64(len(ents)) {
		name := ents[f.off]
		reclen := (uabi.Dirent64Name + len(name) + 1 + 7) &^ 7
		if uint64(len(out)+reclen) > n {
			break
		}
		rec := make([]byte, reclen)
		le := binary.LittleEndian
		le.PutUint64(rec[uabi.Dirent64Ino:], uint64(f.off+1))
		le.PutUint64(rec[uabi.Dirent64Off:], uint64(f.off+1))
		le.PutUint16(rec[uabi.Dirent64Reclen:], uint16(reclen))
		rec[uabi.Dirent64Type] = 8 // DT_REG
		if n := p.lookup(f.path + "/" + name); n != nil && n.dir {
			rec[uabi.Dirent64Type] = 4 // DT_DIR
		}
		copy(rec[uabi.Dirent64Name:], name)
		out = append(out, rec...)
		f.off++
	}
	if len(out) == 0 && f.off < int64(len(ents)) {
		return uabi.Errno(uabi.EINVAL) // buffer too small for one record
	}
	if len(out) > 0 && p.put(buf, out) != 0 {
		return efault
	}
	return uint64(len(out))
}
