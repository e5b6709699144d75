package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// Descriptor table and pipes. Every process has its own table (fd → *file) with a
// close-on-exec flag per descriptor; fork-style clones copy the table,
// sharing the open files. fds 0, 1, 2 start as the console. A pipe is a
// 64 KiB buffer with reader and writer counts (descriptors that refer to
// each end, in every process): a read on an empty pipe blocks while a
// writer exists and returns 0 (end of file) once none does; a write with
// no reader left raises SIGPIPE and returns EPIPE. A blocked reader
// waits in the pipe's read queue, a blocked writer in its write queue;
// every write wakes the readers, every read the writers, and closing an
// end wakes both. The woken call runs again (Wait.rerun).

// pipeSize is a pipe's capacity (Linux's default).
const pipeSize = 64 << 10

// maxFDs bounds one descriptor table (Linux's default soft limit; the
// pipe web server benchmark holds two per connection, 128 connections).
const maxFDs = 1024

// pipe is the buffer shared by a pipe's two ends.
type pipe struct {
	buf              []byte
	readers, writers int
	readq, writeq    WaitQ    // threads blocked reading, writing
	ends             [2]*file // read end, write end (their epoll watches)
}

// pipeReadOps and pipeWriteOps are the two ends of a pipe.
type (
	pipeReadOps  struct{ pipeOps }
	pipeWriteOps struct{ pipeOps }
	pipeOps      struct{ noOps }
)

func (pipeReadOps) read(c *call, f *file, buf, n uint64) uint64 {
	return c.p.pipeRead(c.t, f, buf, n)
}

func (pipeWriteOps) write(c *call, f *file, buf, n uint64) uint64 {
	return c.p.pipeWrite(c.t, f, buf, n)
}

func (pipeReadOps) accmode() uint64  { return 0 }
func (pipeWriteOps) accmode() uint64 { return 1 }

func (pipeOps) stat(*file) *node { return &node{mode: uabi.S_IFIFO | 0o600} }

// poll: the read end is readable with data in the pipe and hung up
// with no writer left; the write end writable with room, in error with
// no reader left. Writes notify the read end's watches, reads of a full
// pipe the write end's, closes both (epoll.go).
func (pipeReadOps) poll(_ *Proc, f *file) (uint32, bool) {
	var ev uint32
	if len(f.pipe.buf) > 0 {
		ev |= uabi.EPOLLIN
	}
	if f.pipe.writers == 0 {
		ev |= uabi.EPOLLHUP
	}
	return ev, true
}

func (pipeWriteOps) poll(_ *Proc, f *file) (uint32, bool) {
	var ev uint32
	if len(f.pipe.buf) < pipeSize {
		ev |= uabi.EPOLLOUT
	}
	if f.pipe.readers == 0 {
		ev |= uabi.EPOLLERR
	}
	return ev, true
}

// ref counts the descriptors of each end; closing one wakes both sides
// (the other end may now see end of file or EPIPE).
func (pipeReadOps) ref(p *Proc, f *file, d int) {
	f.pipe.readers += d
	f.pipe.closed(p, d)
}

func (pipeWriteOps) ref(p *Proc, f *file, d int) {
	f.pipe.writers += d
	f.pipe.closed(p, d)
}

func (pp *pipe) closed(p *Proc, d int) {
	if d < 0 && p.sched != nil {
		p.sched.WakeAll(&pp.readq, sched.CauseWake, 0)
		p.sched.WakeAll(&pp.writeq, sched.CauseWake, 0)
	}
	if d < 0 {
		pp.ends[0].notify()
		pp.ends[1].notify()
	}
}

// initFDs gives a new process the console on 0, 1, 2.
func (p *Proc) initFDs() {
	p.files = map[uint64]*file{0: consoleFile, 1: consoleFile, 2: consoleFile}
	p.cloexec = map[uint64]bool{}
}

// installAt puts f at fd (closing what was there).
func (p *Proc) installAt(fd uint64, f *file, cloexec bool) {
	p.closeFD(fd)
	if p.files == nil {
		p.initFDs()
	}
	f.refs++
	f.ops.ref(p, f, 1)
	p.files[fd] = f
	if cloexec {
		p.cloexec[fd] = true
	}
}

// lowestFD is the lowest free descriptor ≥ from, or -1.
func (p *Proc) lowestFD(from uint64) int64 {
	for fd := from; fd < maxFDs; fd++ {
		if p.files[fd] == nil {
			return int64(fd)
		}
	}
	return -1
}

// closeFD drops fd; false if it was not open.
func (p *Proc) closeFD(fd uint64) bool {
	f := p.files[fd]
	if f == nil {
		return false
	}
	delete(p.files, fd)
	delete(p.cloexec, fd)
	if f.refs--; f.refs == 0 && f != consoleFile { // (every process's 0, 1, 2 start as the console without counting)
		f.unwatch()
	}
	f.ops.ref(p, f, -1)
	return true
}

// closeAll closes every descriptor (exit).
func (p *Proc) closeAll() {
	for fd := range p.files {
		p.closeFD(fd)
	}
}

// closeOnExec closes the close-on-exec descriptors (execve).
func (p *Proc) closeOnExec() {
	for fd := range p.cloexec {
		p.closeFD(fd)
	}
}

// copyFDs gives child a copy of p's table (fork, vfork).
func (p *Proc) copyFDs(child *Proc) {
	child.initFDs()
	clear(child.files)
	for fd, f := range p.files {
		child.installAt(fd, f, p.cloexec[fd])
	}
}

// dup(fd): the lowest free descriptor refers to fd's file.
func (p *Proc) dup(old uint64) uint64 {
	f := p.files[old]
	fd := p.lowestFD(0)
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	if fd < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	p.installAt(uint64(fd), f, false)
	return uint64(fd)
}

// closeCall is close(fd).
func (p *Proc) closeCall(fd uint64) uint64 {
	if p.closeFD(fd) {
		return 0
	}
	return uabi.Errno(uabi.EBADF)
}

func (p *Proc) pipe2(va, flags uint64) uint64 {
	if flags&^(uabi.O_CLOEXEC|uabi.O_NONBLOCK) != 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	r := p.lowestFD(0)
	if r < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	p.files[uint64(r)] = consoleFile // hold the slot while finding the second
	w := p.lowestFD(0)
	delete(p.files, uint64(r))
	if w < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	var b [8]byte // int fds[2]
	binary.LittleEndian.PutUint32(b[:], uint32(r))
	binary.LittleEndian.PutUint32(b[4:], uint32(w))
	if va == 0 || p.put(va, b[:]) != 0 {
		return efault
	}
	pp := &pipe{}
	nb := flags&uabi.O_NONBLOCK != 0
	cloexec := flags&uabi.O_CLOEXEC != 0
	pp.ends = [2]*file{{ops: pipeReadOps{}, pipe: pp, nonblock: nb}, {ops: pipeWriteOps{}, pipe: pp, nonblock: nb}}
	p.installAt(uint64(r), pp.ends[0], cloexec)
	p.installAt(uint64(w), pp.ends[1], cloexec)
	return 0
}

func (p *Proc) dup3(old, nfd, flags uint64) uint64 {
	f := p.files[old]
	switch {
	case f == nil || nfd >= maxFDs:
		return uabi.Errno(uabi.EBADF)
	case old == nfd || flags&^uabi.O_CLOEXEC != 0:
		return uabi.Errno(uabi.EINVAL)
	}
	p.installAt(nfd, f, flags&uabi.O_CLOEXEC != 0)
	return nfd
}

func (p *Proc) fcntl(fd, cmd, arg uint64) uint64 {
	f := p.files[fd]
	if f == nil {
		return uabi.Errno(uabi.EBADF)
	}
	switch cmd {
	case uabi.F_GETFD:
		if p.cloexec[fd] {
			return 1
		}
		return 0
	case uabi.F_SETFD:
		if arg&1 != 0 {
			p.cloexec[fd] = true
		} else {
			delete(p.cloexec, fd)
		}
		return 0
	case uabi.F_GETFL:
		fl := f.ops.accmode()
		if f.nonblock {
			fl |= uabi.O_NONBLOCK
		}
		return fl
	case uabi.F_SETFL:
		if f != consoleFile {
			f.nonblock = arg&uabi.O_NONBLOCK != 0
		}
		return 0
	case uabi.F_DUPFD, uabi.F_DUPFD_CLOEXEC:
		n := p.lowestFD(arg)
		if n < 0 {
			return uabi.Errno(uabi.EMFILE)
		}
		p.installAt(uint64(n), f, cmd == uabi.F_DUPFD_CLOEXEC)
		return uint64(n)
	}
	return 0
}

// pipeRead takes up to n bytes; it blocks (running the call again
// later) while the pipe is empty and has a writer.
func (p *Proc) pipeRead(t *Thread, f *file, buf, n uint64) uint64 {
	pp := f.pipe
	if n == 0 {
		return 0
	}
	if len(pp.buf) == 0 {
		switch {
		case pp.writers == 0:
			return 0
		case f.nonblock:
			return uabi.Errno(uabi.EAGAIN)
		}
		p.sched.Block(t, &pp.readq, WaitPipe, 0, 0)
		return 0
	}
	k := min(n, uint64(len(pp.buf)), maxIO)
	if buf == 0 || p.put(buf, pp.buf[:k]) != 0 {
		return efault
	}
	full := len(pp.buf) == pipeSize
	pp.buf = append(pp.buf[:0], pp.buf[k:]...)
	p.sched.WakeAll(&pp.writeq, sched.CauseWake, 0)
	if full {
		pp.ends[1].notify()
	}
	return k
}

// pipeWrite appends what fits (blocking while the pipe is full); with
// no reader left it raises SIGPIPE and returns EPIPE.
func (p *Proc) pipeWrite(t *Thread, f *file, buf, n uint64) uint64 {
	pp := f.pipe
	if pp.readers == 0 {
		t.sig.pending |= 1 << (uabi.SIGPIPE - 1)
		return uabi.Errno(uabi.EPIPE)
	}
	if n == 0 {
		return 0
	}
	room := uint64(pipeSize - len(pp.buf))
	if room == 0 {
		if f.nonblock {
			return uabi.Errno(uabi.EAGAIN)
		}
		p.sched.Block(t, &pp.writeq, WaitPipe, 0, 0)
		return 0
	}
	k := min(n, room, maxIO)
	b := make([]byte, k)
	if p.Space.CopyIn(b, buf) != nil {
		return efault
	}
	pp.buf = append(pp.buf, b...)
	p.sched.WakeAll(&pp.readq, sched.CauseWake, 0)
	pp.ends[0].notify()
	return k
}
