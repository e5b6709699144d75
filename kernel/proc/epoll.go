package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// The Go runtime's network poller needs epoll even in programs without
// network or files: timers park the scheduler in epoll_pwait, and
// netpollBreak wakes it by writing to an eventfd. This emulation knows
// two kinds of descriptor besides the console: epoll instances and
// eventfds. An eventfd registered with an epoll instance is readable
// while its counter is non-zero; a thread in epoll_pwait blocks until
// such an eventfd is written or its timeout passes.

type fdKind int

const (
	fdEpoll fdKind = iota + 1
	fdEventfd
)

// file is an open descriptor above 2.
type file struct {
	kind     fdKind
	counter  uint64            // eventfd
	watch    map[uint64]uint64 // epoll: fd → event data
	pipe     *pipe             // pipe ends (fd.go)
	nonblock bool              // O_NONBLOCK
	node     *node             // files and directories (fs.go)
	path     string            // their absolute path
	off      int64             // read position (files), entry index (directories)
}

// pollWait is a thread's pending epoll_pwait.
type pollWait struct {
	epfd, events, max uint64
}

func (p *Proc) newFD(f *file) uint64 {
	fd := p.lowestFD(0)
	if fd < 0 {
		return uabi.Errno(uabi.EMFILE)
	}
	p.installAt(uint64(fd), f, false)
	return uint64(fd)
}

func (p *Proc) sysPoll(t *Thread, env Env, nr uint64, a []uint64) (uint64, bool) {
	switch nr {
	case uabi.SYS_EPOLL_CREATE1:
		return p.newFD(&file{kind: fdEpoll, watch: map[uint64]uint64{}}), true
	case uabi.SYS_EVENTFD2:
		return p.newFD(&file{kind: fdEventfd, counter: a[0]}), true
	case uabi.SYS_EPOLL_CTL:
		return p.epollCtl(a[0], a[1], a[2], a[3]), true
	case uabi.SYS_EPOLL_PWAIT:
		return p.epollWait(t, env, a[0], a[1], a[2], int64(int32(a[3]))), true
	}
	return 0, false
}

func (p *Proc) epollCtl(epfd, op, fd, ev uint64) uint64 {
	ep := p.files[epfd]
	if ep == nil || ep.kind != fdEpoll {
		return uabi.Errno(uabi.EBADF)
	}
	if f := p.files[fd]; f != nil && (f.kind == fdPipeR || f.kind == fdPipeW) {
		return uabi.Errno(uabi.EPERM) // pipes are read and written blocking
	}
	switch op {
	case uabi.EPOLL_CTL_ADD, uabi.EPOLL_CTL_MOD:
		var b [16]byte
		if p.Space.CopyIn(b[:], ev) != nil {
			return efault
		}
		ep.watch[fd] = binary.LittleEndian.Uint64(b[8:])
	case uabi.EPOLL_CTL_DEL:
		delete(ep.watch, fd)
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	return 0
}

// ready writes the events of epfd's readable descriptors to user
// memory; it returns their number (or -EFAULT).
func (p *Proc) ready(epfd, events, max uint64) uint64 {
	ep := p.files[epfd]
	n := uint64(0)
	for fd, data := range ep.watch {
		f := p.files[fd]
		if n == max || f == nil || f.kind != fdEventfd || f.counter == 0 {
			continue
		}
		var b [16]byte
		binary.LittleEndian.PutUint32(b[:], uabi.EPOLLIN)
		binary.LittleEndian.PutUint64(b[8:], data)
		if p.put(events+16*n, b[:]) != 0 || events == 0 {
			return efault
		}
		n++
	}
	return n
}

func (p *Proc) epollWait(t *Thread, env Env, epfd, events, max uint64, timeoutMs int64) uint64 {
	ep := p.files[epfd]
	if ep == nil || ep.kind != fdEpoll {
		return uabi.Errno(uabi.EBADF)
	}
	if max == 0 || max > 1024 {
		return uabi.Errno(uabi.EINVAL)
	}
	if n := p.ready(epfd, events, max); n != 0 || timeoutMs == 0 {
		return n
	}
	deadline := int64(0)
	if timeoutMs > 0 {
		deadline = env.Now() + timeoutMs*1e6
	}
	t.poll = pollWait{epfd, events, max}
	p.sched.Block(t, &p.pollq, WaitPoll, deadline, 0)
	return 0
}

// eventfdWrite adds to an eventfd's counter and completes the epoll
// waits that can now report it.
func (p *Proc) eventfdWrite(f *file, buf uint64) uint64 {
	var b [8]byte
	if p.Space.CopyIn(b[:], buf) != nil {
		return efault
	}
	f.counter += binary.LittleEndian.Uint64(b[:])
	for t := p.pollq.l.head; t != nil; {
		next := t.next
		if n := p.ready(t.poll.epfd, t.poll.events, t.poll.max); n != 0 {
			p.sched.Wake(t, sched.CauseWake, n)
		}
		t = next
	}
	return 8
}

// eventfdRead returns and clears the counter (EAGAIN when zero: the
// runtime opens it non-blocking).
func (p *Proc) eventfdRead(f *file, buf uint64) uint64 {
	if f.counter == 0 {
		return uabi.Errno(uabi.EAGAIN)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], f.counter)
	if p.put(buf, b[:]) != 0 {
		return efault
	}
	f.counter = 0
	return 8
}
