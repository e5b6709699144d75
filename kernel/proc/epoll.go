package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// epoll: what Go's network poller needs, for eventfds, pipes and the
// console.
//
// The runtime parks its scheduler in epoll_pwait (timers, and
// netpollBreak's eventfd), and package os registers every pipe it opens
// with EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, reads it non-blocking and
// parks the goroutine on EAGAIN until the poller reports the pipe. So a
// goroutine blocked on a pipe holds no thread: one thread waits in
// epoll_pwait for all of them.
//
// # Watches and the ready list (Linux's design)
//
// A watch is one descriptor registered with one instance. It sits on
// two lists: its instance's (fd → watch) and its file's (every watch of
// that open file, in any process: a pipe shared by fork is watched by
// both). A change of a file that can make it readable or writable — a
// pipe write, a read of a full pipe, a close of either end, an eventfd
// write, console input — "notifies" the file: its watches go on their
// instance's ready list and the threads waiting on those instances are
// offered the events. epoll_pwait then reports, for each watch on the
// ready list, what the file's poll says now, masked by what the watch
// asked for (EPOLLHUP and EPOLLERR always):
//
//   - nothing: the watch leaves the ready list;
//   - EPOLLET (edge-triggered, Go's choice): it is reported once and
//     leaves the list until the next notification — so a pipe's write
//     end, always writable, does not spin the poller;
//   - otherwise (level-triggered: the runtime's eventfd) it stays and is
//     reported again while the condition holds;
//   - EPOLLONESHOT: reported once, then disabled until EPOLL_CTL_MOD.
//
// A new or modified watch starts on the ready list (Linux polls the file
// at epoll_ctl). Threads waiting in epoll_pwait wait in the instance's
// queue; a notification wakes one with the number of events it wrote
// to that thread's buffer, in its own process's memory.
//
// # Deadlock detection
//
// A thread waiting in epoll_pwait with no timeout counts towards its
// process's deadlock (sched.go) only if the instance watches nothing
// another process or the console can change (eventfds only); once a
// pipe or the console is watched, waking it is up to others.

// epollOps is an epoll instance (reads and writes: EBADF); eventfdOps
// an eventfd: 8-byte reads take the counter, 8-byte writes add to it.
type (
	epollOps   struct{ noOps }
	eventfdOps struct{ noOps }
)

// epollState is an instance's: its watches by descriptor, the ready
// list, the threads waiting.
type epollState struct {
	watches map[uint64]*watch
	rdlist  []*watch
	waiters WaitQ
	// external counts watches of files other processes or the console
	// can change (not eventfds).
	external int
}

// watch is one descriptor registered with one instance.
type watch struct {
	ep     *file  // the instance
	owner  *Proc  // whose descriptor fd is
	fd     uint64 // the descriptor
	f      *file  // the open file fd named at registration
	events uint32 // asked for, with EPOLLET / EPOLLONESHOT
	data   uint64 // given back with each event
	queued bool   // on ep's ready list
	// disabled: EPOLLONESHOT, reported; EPOLL_CTL_MOD enables it again.
	disabled bool
}

// pollWait is a thread's pending epoll_pwait.
type pollWait struct {
	ep          *file
	events, max uint64
	external    bool // the instance watched a pipe or the console when it blocked
}

func newEpoll() *file {
	return &file{ops: epollOps{}, epoll: &epollState{watches: map[uint64]*watch{}}}
}

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

func (eventfdOps) poll(_ *Proc, f *file) (uint32, bool) {
	if f.counter != 0 {
		return uabi.EPOLLIN | uabi.EPOLLOUT, true
	}
	return uabi.EPOLLOUT, true
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
	if f := p.files[fd]; f != nil && f.epoll != nil {
		return f
	}
	return nil
}

func (p *Proc) epollCtl(env Env, epfd, op, fd, ev uint64) uint64 {
	ep := p.epoll(epfd)
	f := p.files[fd]
	switch {
	case ep == nil || f == nil:
		return uabi.Errno(uabi.EBADF)
	case f == ep:
		return uabi.Errno(uabi.EINVAL)
	}
	if _, watchable := f.ops.poll(p, f); !watchable {
		return uabi.Errno(uabi.EPERM)
	}
	es := ep.epoll
	w := es.watches[fd]
	if w != nil && w.f != f { // fd was closed and reused without EPOLL_CTL_DEL
		w.drop()
		w = nil
	}
	var events uint32
	var data uint64
	if op == uabi.EPOLL_CTL_ADD || op == uabi.EPOLL_CTL_MOD {
		var b [16]byte
		if p.Space.CopyIn(b[:], ev) != nil {
			return efault
		}
		events, data = binary.LittleEndian.Uint32(b[:]), binary.LittleEndian.Uint64(b[8:])
	}
	switch op {
	case uabi.EPOLL_CTL_ADD:
		if w != nil {
			return uabi.Errno(uabi.EEXIST)
		}
		w = &watch{ep: ep, owner: p, fd: fd, f: f}
		es.watches[fd] = w
		f.watchers = append(f.watchers, w)
		if w.isExternal() {
			if es.external++; es.external == 1 {
				es.unstick() // waiters counted as deadlocked may now be woken by others
			}
		}
		if f == consoleFile {
			env.ReadConsole(nil) // starts the kernel's input pump
		}
	case uabi.EPOLL_CTL_MOD:
		if w == nil {
			return uabi.Errno(uabi.ENOENT)
		}
	case uabi.EPOLL_CTL_DEL:
		if w == nil {
			return uabi.Errno(uabi.ENOENT)
		}
		w.drop()
		return 0
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	w.events, w.data, w.disabled = events, data, false
	w.queue()
	es.offer()
	return 0
}

// isExternal: others than the owner's threads can change w's file.
func (w *watch) isExternal() bool {
	_, eventfd := w.f.ops.(eventfdOps)
	return !eventfd
}

// queue puts w on its instance's ready list.
func (w *watch) queue() {
	if !w.queued {
		w.queued = true
		w.ep.epoll.rdlist = append(w.ep.epoll.rdlist, w)
	}
}

// drop removes w from its instance and its file (EPOLL_CTL_DEL, or the
// last descriptor of either closing).
func (w *watch) drop() {
	es := w.ep.epoll
	if es.watches[w.fd] == w {
		delete(es.watches, w.fd)
		if w.isExternal() {
			es.external--
		}
	}
	w.f.watchers = removeWatch(w.f.watchers, w)
	if w.queued {
		es.rdlist = removeWatch(es.rdlist, w)
		w.queued = false
	}
}

func removeWatch(ws []*watch, w *watch) []*watch {
	for i, x := range ws {
		if x == w {
			return append(ws[:i], ws[i+1:]...)
		}
	}
	return ws
}

// notify is the one call a file's change makes: every watch of f goes
// on its instance's ready list, and each instance offers its events to
// its waiting threads.
func (f *file) notify() {
	for _, w := range f.watchers {
		w.queue()
	}
	for _, w := range f.watchers {
		w.ep.epoll.offer()
	}
}

// unwatch drops the watches that die with f's last descriptor: those of
// f itself and, for an instance, those it holds.
func (f *file) unwatch() {
	for len(f.watchers) > 0 {
		f.watchers[0].drop()
	}
	if es := f.epoll; es != nil {
		for _, w := range es.watches {
			w.drop()
		}
	}
}

// offer completes the waits of es's threads while it has events for
// them (each takes what fits its buffer, in its own process's memory).
func (es *epollState) offer() {
	for t := es.waiters.l.head; t != nil && len(es.rdlist) > 0; {
		next := t.next
		if n := t.proc.collect(t.poll.ep, t.poll.events, t.poll.max); n != 0 {
			t.proc.sched.Wake(t, sched.CauseWake, n)
		}
		t = next
	}
}

// unstick wakes es's waiters that blocked while it watched only
// eventfds (counted towards a deadlock): with no events (the runtime
// polls again), so that they block anew as waits others can end.
func (es *epollState) unstick() {
	for t := es.waiters.l.head; t != nil; {
		next := t.next
		if !t.poll.external {
			t.proc.sched.Wake(t, sched.CauseWake, 0)
		}
		t = next
	}
}

// collect writes up to max events of ep's ready list to user memory at
// events and returns their number (or -EFAULT): the essay's rules.
func (p *Proc) collect(ep *file, events, max uint64) uint64 {
	es := ep.epoll
	n := uint64(0)
	var kept []*watch // reported, level-triggered: back at the tail
	list := es.rdlist
	i := 0
	for ; i < len(list) && n < max; i++ {
		w := list[i]
		if w.owner.files[w.fd] != w.f || w.disabled {
			w.queued = false // stale (closed without DEL) or a one-shot already reported
			continue
		}
		ready, _ := w.f.ops.poll(w.owner, w.f)
		ready &= w.events | uabi.EPOLLERR | uabi.EPOLLHUP
		if ready == 0 {
			w.queued = false
			continue
		}
		var b [16]byte
		binary.LittleEndian.PutUint32(b[:], ready)
		binary.LittleEndian.PutUint64(b[8:], w.data)
		if events == 0 || p.put(events+16*n, b[:]) != 0 {
			es.rdlist = append(kept, list[i:]...) // (kept is a new slice)
			return efault
		}
		n++
		switch {
		case w.events&uabi.EPOLLONESHOT != 0:
			w.disabled, w.queued = true, false
		case w.events&uabi.EPOLLET != 0:
			w.queued = false
		default:
			kept = append(kept, w)
		}
	}
	rest := copy(list, list[i:]) // in place: kept is a new slice
	clear(list[rest:])
	es.rdlist = append(list[:rest], kept...)
	return n
}

func (p *Proc) epollWait(t *Thread, env Env, epfd, events, max uint64, timeoutMs int64) uint64 {
	ep := p.epoll(epfd)
	if ep == nil {
		return uabi.Errno(uabi.EBADF)
	}
	if max == 0 || max > 1024 {
		return uabi.Errno(uabi.EINVAL)
	}
	if n := p.collect(ep, events, max); n != 0 || timeoutMs == 0 {
		return n
	}
	deadline := int64(0)
	if timeoutMs > 0 {
		deadline = env.Now() + timeoutMs*1e6
	}
	t.poll = pollWait{ep: ep, events: events, max: max, external: ep.epoll.external > 0}
	p.sched.Block(t, &ep.epoll.waiters, WaitPoll, deadline, 0)
	return 0
}

// eventfdWrite adds to an eventfd's counter and notifies its watches.
func (p *Proc) eventfdWrite(f *file, buf uint64) uint64 {
	var b [8]byte
	if p.Space.CopyIn(b[:], buf) != nil {
		return efault
	}
	f.counter += binary.LittleEndian.Uint64(b[:])
	f.notify()
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
