package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
)

// ppoll, readiness now: which of a set of descriptors a read or write
// would not block on, in one system call. Only the zero timeout is
// served — a program (an event loop of coroutines making synchronous
// calls) asks, then reads what is ready; waiting for the first of many
// descriptors would need one thread on several wait queues, which the
// scheduling seam does not have, so a NULL or non-zero timeout is
// EINVAL rather than a wait that never ends. The signal mask is not
// applied (nothing waits). Go's runtime does not call ppoll (it polls
// with epoll), so no Go program changes behaviour.
//
// Per descriptor (struct pollfd: int fd, short events, short revents):
// a pipe's read end is POLLIN with data, POLLHUP with no writer left; a
// write end POLLOUT with room, POLLERR with no reader left; any other
// file POLLIN when its kind says a read finds data (epoll's view) and
// POLLOUT when it is open for writing. A negative fd is skipped
// (revents 0), a closed one is POLLNVAL. The result is the number of
// entries with non-zero revents.

// poll(2)'s bits (the same values as epoll's, plus POLLNVAL).
const (
	pollIn   = uabi.EPOLLIN
	pollOut  = uabi.EPOLLOUT
	pollErr  = uabi.EPOLLERR
	pollHup  = uabi.EPOLLHUP
	pollNval = 0x020
)

func (c *call) ppoll() uint64 {
	fds, nfds, tmo := c.a[0], c.a[1], c.a[2]
	if nfds > maxFDs {
		return uabi.Errno(uabi.EINVAL)
	}
	if tmo == 0 {
		return uabi.Errno(uabi.EINVAL) // wait forever: not served
	}
	var ts [16]byte
	if c.p.Space.CopyIn(ts[:], tmo) != nil {
		return efault
	}
	if binary.LittleEndian.Uint64(ts[:]) != 0 || binary.LittleEndian.Uint64(ts[8:]) != 0 {
		return uabi.Errno(uabi.EINVAL) // a wait: not served
	}
	b := make([]byte, 8*nfds)
	if nfds > 0 && c.p.Space.CopyIn(b, fds) != nil {
		return efault
	}
	ready := uint64(0)
	for i := range nfds {
		e := b[8*i : 8*i+8]
		fd := int32(binary.LittleEndian.Uint32(e))
		want := uint16(binary.LittleEndian.Uint16(e[4:]))
		var got uint16
		if fd >= 0 {
			got = c.p.readiness(uint64(fd)) & (want | pollErr | pollHup | pollNval)
		}
		binary.LittleEndian.PutUint16(e[6:], got)
		if got != 0 {
			ready++
		}
	}
	if nfds > 0 && c.p.put(fds, b) != 0 {
		return efault
	}
	return ready
}

// readiness is fd's poll bits now.
func (p *Proc) readiness(fd uint64) uint16 {
	f := p.files[fd]
	if f == nil {
		return pollNval
	}
	var r uint16
	switch f.ops.(type) {
	case pipeReadOps:
		if len(f.pipe.buf) > 0 {
			r |= pollIn
		}
		if f.pipe.writers == 0 {
			r |= pollHup
		}
	case pipeWriteOps:
		if len(f.pipe.buf) < pipeSize {
			r |= pollOut
		}
		if f.pipe.readers == 0 {
			r |= pollErr
		}
	default:
		if readable, _ := f.ops.poll(f); readable {
			r |= pollIn
		}
		if f.ops.accmode() != 0 {
			r |= pollOut
		}
	}
	return r
}
