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

// epollOps is an epoll instance (reads and writes: EBADF); eventfdOps
// an eventfd: 8-byte reads take the counter, 8-byte writes add to it.
type (
	epollOps   struct{ noOps }
	eventfdOps struct{ noOps }
)

func (eventfdOps) read(c *call, f *file, buf, n uint64) uint64 {
	if n < 8 {
		return uabi.Errno(uabi.EINVAL)
	}
	return c.p.eventfdRead(f, buf)
}

func (eventfdOps) write(c *call, f *file, buf, n uint64) uint64 {
	if n < 8 {
		return uabi.Errno(uabi.EINVAL)
	}
	return c.p.eventfdWrite(f, buf)
}

func (eventfdOps) poll(f *file) (bool, bool) { return f.counter != 0, true }

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

// epoll is the open epoll instance on fd, or nil.
func (p *Proc) epoll(fd uint64) *file {
	if f := p.files[fd]; f != nil {
		if _, ok := f.ops.(epollOps); ok {
			return f
		}
	}
	return nil
}

func (p *Proc) epollCtl(epfd, op, fd, ev uint64) uint64 {
	ep := p.epoll(epfd)
	if ep == nil {
		return uabi.Errno(uabi.EBADF)
	}
	if f := p.files[fd]; f != nil {
		if _, watchable := f.ops.poll(f); !watchable {
			return uabi.Errno(uabi.EPERM)
		}
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
		if n == max || f == nil {
			continue
		}
		if readable, _ := f.ops.poll(f); !readable {
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
	if p.epoll(epfd) == nil {
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
