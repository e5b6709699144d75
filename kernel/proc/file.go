package proc

import "copslab/kernel/uabi"

// Open files. A descriptor refers to a *file (an open file description:
// dup and fork share it); the file's ops are what its kind does. Every
// kind implements every operation — embedding noOps for those it does
// not support, which fail as Linux fails them — so a read, write, seek
// or stat on a descriptor is one method call, and a new kind of file is
// one new type in the file of its concept:
//
//	consoleOps              the console (here)
//	pipeReadOps, pipeWriteOps  pipe ends (fd.go)
//	epollOps, eventfdOps    the poller (epoll.go); pipes, eventfds and
//	                        the console are pollable
//	treeFileOps, dirOps, nullOps  the file tree (fs.go)

// file is an open file.
type file struct {
	ops      fileOps
	nonblock bool        // O_NONBLOCK
	counter  uint64      // eventfd
	epoll    *epollState // an epoll instance (epoll.go)
	pipe     *pipe       // pipe ends (fd.go)
	node     *node       // files and directories (fs.go)
	path     string      // their absolute path
	off      int64       // read position (files), entry index (directories)
	tmp      *tmpNode    // a /tmp file (tmpfile.go)
	// appendMode is O_APPEND: every write goes to the end.
	appendMode bool
	// refs counts the descriptors that refer to it, in every process;
	// watchers are the epoll watches of it (epoll.go), dropped with
	// the last descriptor.
	refs     int
	watchers []*watch
}

// fileOps is what one kind of open file does.
type fileOps interface {
	read(c *call, f *file, buf, n uint64) uint64
	write(c *call, f *file, buf, n uint64) uint64
	pread(c *call, f *file, buf, n uint64, off int64) uint64
	seek(f *file, off int64, whence uint64) uint64
	stat(f *file) *node
	// accmode is F_GETFL's access mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2).
	accmode() uint64
	// poll reports the file's readiness now (EPOLLIN, EPOLLOUT,
	// EPOLLHUP, EPOLLERR; p is the process asking); watchable is false
	// for files epoll_ctl refuses (EPERM). A kind whose readiness can
	// change calls f.notify() when it may have (epoll.go).
	poll(p *Proc, f *file) (events uint32, watchable bool)
	// ref is told when a descriptor starts (+1) or stops (-1) referring
	// to f.
	ref(p *Proc, f *file, d int)
}

// noOps are the answers of a file that supports nothing.
type noOps struct{}

func (noOps) read(*call, *file, uint64, uint64) uint64         { return uabi.Errno(uabi.EBADF) }
func (noOps) write(*call, *file, uint64, uint64) uint64        { return uabi.Errno(uabi.EBADF) }
func (noOps) pread(*call, *file, uint64, uint64, int64) uint64 { return uabi.Errno(uabi.ESPIPE) }
func (noOps) seek(*file, int64, uint64) uint64                 { return uabi.Errno(uabi.ESPIPE) }
func (noOps) stat(*file) *node                                 { return &node{mode: 0o600} }
func (noOps) accmode() uint64                                  { return 2 }
func (noOps) poll(*Proc, *file) (uint32, bool)                 { return 0, true }
func (noOps) ref(*Proc, *file, int)                            {}

// consoleOps: reads take typed input (blocking), writes go to the
// console.
type consoleOps struct{ noOps }

var consoleFile = &file{ops: consoleOps{}}

func (consoleOps) read(c *call, f *file, buf, n uint64) uint64 {
	return c.p.readConsole(c.t, c.env, buf, n)
}

func (consoleOps) write(c *call, f *file, buf, n uint64) uint64 {
	n = min(n, maxIO)
	b := make([]byte, n)
	if err := c.p.Space.CopyIn(b, buf); err != nil {
		return efault
	}
	c.env.Write(b)
	return n
}

func (consoleOps) stat(*file) *node { return &node{mode: uabi.S_IFCHR | 0o620} }

// poll: always writable; readable while the kernel may hold typed
// input (Sched.inputReady: set when input arrives, cleared by a read
// that finds less than it asked for).
func (consoleOps) poll(p *Proc, _ *file) (uint32, bool) {
	if p.sched != nil && p.sched.inputReady {
		return uabi.EPOLLIN | uabi.EPOLLOUT, true
	}
	return uabi.EPOLLOUT, true
}

// fileOf is the open file on descriptor fd, or nil.
func (c *call) fileOf(fd uint64) *file { return c.p.files[fd] }

// read(fd, buf, n), write(fd, buf, n), pread64(fd, buf, n, off): one
// method call on the file's kind.
func (c *call) read() uint64 {
	if f := c.fileOf(c.a[0]); f != nil {
		return f.ops.read(c, f, c.a[1], c.a[2])
	}
	return uabi.Errno(uabi.EBADF)
}

func (c *call) write() uint64 {
	if f := c.fileOf(c.a[0]); f != nil {
		return f.ops.write(c, f, c.a[1], c.a[2])
	}
	return uabi.Errno(uabi.EBADF)
}

func (c *call) pread() uint64 {
	if f := c.fileOf(c.a[0]); f != nil {
		return f.ops.pread(c, f, c.a[1], c.a[2], int64(c.a[3]))
	}
	return uabi.Errno(uabi.EBADF)
}
