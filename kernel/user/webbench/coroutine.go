package main

// The coroutine forms with synchronous calls (coroutine-sync and
// coroutine-sync-idle), beside the paper's async form (async.go).
//
// Every connection is a step-function coroutine of one cops executor at
// the connection's priority; the executor runs in one OS thread, so a
// switch between connections is a coroutine switch (a call through the
// vDSO's scheduler code), never a kernel thread switch. What the paper
// does with asynchronous calls — the kernel completes a read and a user
// interrupt wakes the coroutine — is done here with synchronous calls
// only:
//
//   - the request pipes are non-blocking; a coroutine with no request
//     pending is Blocked on its connection's Event;
//   - the server's own epoll instance watches every request pipe; a sweep
//     asks it which have data (one epoll_pwait), reads those with one
//     non-blocking read each, and for each read that completes a request
//     wakes the connection's coroutine (Notify) with the request already
//     in its buffer — the sweep plays the completion handler;
//   - responses are blocking writes (a closed-loop client has at most one
//     response in flight, so they never wait).
//
// When does a sweep run? pollEach: after every served request, by the
// coroutine that served it, so a request of a better priority that
// arrived meanwhile is found at once and served before worse ones (the
// priority experiment needs this); pollIdle: only when no connection is
// ready. In both, an idle coroutine at the worst priority runs when
// nothing else is ready and sweeps waiting: the executor's thread sleeps
// in epoll_pwait until a request arrives. The price of synchronous calls
// is the sweeps: an epoll_pwait per sweep, most finding nothing after a
// served request, then a read per request — system calls (each a trap,
// at which the kernel may run another process) that the paper's async
// calls avoid; the BENCH line counts them (polls: epoll_pwait calls,
// probes: reads, hits: reads that brought data).

import (
	"errors"
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/cops"
	"copslab/sched"
)

type pollMode uint8

const (
	pollEach pollMode = iota // sweep after every served request
	pollIdle                 // sweep only when nothing is ready
)

// idleWait bounds one wait of the idle coroutine (it waits again).
const idleWait = 50 * time.Millisecond

// coConn is a connection as its coroutine sees it.
type coConn struct {
	c        conn
	rfd, wfd int
	ev       *cops.Event
	req      []byte
	got      int  // bytes of the current request read so far
	blocked  bool // the coroutine awaits ev (the sweep probes it)
	eof      bool
}

// coServer is the executor's state.
type coServer struct {
	ex     *cops.Executor
	conns  []*coConn
	work   int
	resp   []byte
	live   int
	err    error
	probes uint64 // non-blocking reads made by sweeps
	hits   uint64 // of which brought data or the end
	polls  uint64 // epoll_pwait calls
	epfd   int
	events []syscall.EpollEvent
}

// sweepStats is the last coroutine server's counts (for the BENCH line).
var sweepStats struct{ probes, hits, polls uint64 }

func coroutines(cs []conn, work int, mode pollMode) error {
	ex, err := cops.New()
	if err != nil {
		return err
	}
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	defer syscall.Close(epfd)
	s := &coServer{ex: ex, work: work, resp: make([]byte, respSize), live: len(cs), epfd: epfd, events: make([]syscall.EpollEvent, len(cs))}
	for i, c := range cs {
		// Fd puts the file in blocking mode; the raw descriptor is set
		// non-blocking after that and used with system calls directly.
		k := &coConn{c: c, rfd: int(c.req.Fd()), wfd: int(c.resp.Fd()), ev: ex.NewEvent(), req: make([]byte, reqSize), blocked: true}
		if err := syscall.SetNonblock(k.rfd, true); err != nil {
			return fmt.Errorf("non-blocking request pipe: %w", err)
		}
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(i)} // Fd: the data word, our index
		if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, k.rfd, &ev); err != nil {
			return fmt.Errorf("epoll_ctl: %w", err)
		}
		s.conns = append(s.conns, k)
	}
	for _, k := range s.conns {
		if _, err := ex.SpawnStep(k.c.prio, s.connStep(k, mode)); err != nil {
			return err
		}
	}
	if _, err := ex.SpawnStep(sched.NumPrio-1, s.idleStep); err != nil {
		return err
	}
	if err := ex.Run(); err != nil {
		return err
	}
	sweepStats.probes, sweepStats.hits, sweepStats.polls = s.probes, s.hits, s.polls
	return s.err
}

// connStep is connection k's coroutine: it is woken by a sweep with a
// request in k.req (or the end), serves it and awaits the next.
func (s *coServer) connStep(k *coConn, mode pollMode) func(*cops.Co) cops.Action {
	return func(co *cops.Co) cops.Action {
		if s.err != nil || k.eof {
			return s.finish(k)
		}
		if k.got == reqSize {
			respond(k.req, s.resp, s.work)
			if _, err := syscall.Write(k.wfd, s.resp); err != nil {
				s.fail(fmt.Errorf("writing a response: %w", err))
				return s.finish(k)
			}
			k.got = 0
			if mode == pollEach {
				s.sweep(co, 0)
			}
		}
		k.blocked = true
		return cops.Await(k.ev)
	}
}

// idleStep runs when no connection is ready: a sweep that waits in the
// kernel until a request arrives (at most idleWait at a time). It ends
// with the last connection.
func (s *coServer) idleStep(co *cops.Co) cops.Action {
	if s.live == 0 {
		return cops.Done
	}
	if s.err != nil { // every connection finishes
		for _, k := range s.conns {
			if k.blocked {
				k.blocked = false
				co.Notify(k.ev)
			}
		}
		return cops.Yield
	}
	s.sweep(co, idleWait)
	return cops.Yield
}

// sweep asks the kernel which connections' request pipes have data or
// have ended — one epoll_pwait on the server's own epoll instance,
// which watches every request pipe (level-triggered) — reads those whose
// coroutine is blocked, and wakes each whose read completed a request or
// found the end. wait is how long to wait for one (0: readiness now; the
// idle coroutine waits when nothing is ready). It returns how many it
// woke.
func (s *coServer) sweep(co *cops.Co, wait time.Duration) int {
	s.polls++
	var n int
	var err error
	if wait == 0 {
		// Raw: a zero-timeout wait never blocks, so the Go runtime need
		// not hear about it (its bookkeeping costs more than the call).
		r, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(s.epfd), uintptr(unsafe.Pointer(&s.events[0])), uintptr(len(s.events)), 0, 0, 0)
		n = int(r)
		if errno != 0 {
			n, err = 0, errno
		}
	} else {
		n, err = syscall.EpollWait(s.epfd, s.events, int(wait/time.Millisecond))
	}
	if err != nil {
		if err != syscall.EINTR {
			s.fail(fmt.Errorf("epoll_pwait: %w", err))
		}
		return 0
	}
	woken := 0
	for _, ev := range s.events[:n] {
		k := s.conns[ev.Fd]
		if !k.blocked || !s.read(k) {
			continue
		}
		k.blocked = false
		woken++
		if err := co.Notify(k.ev); err != nil {
			s.fail(err)
		}
	}
	return woken
}

// read makes one non-blocking read of k's request and reports whether
// the request is complete or the pipe ended.
func (s *coServer) read(k *coConn) bool {
	s.probes++
	// Raw: a non-blocking read never blocks, so the Go runtime need not
	// hear about it.
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, uintptr(k.rfd), uintptr(unsafe.Pointer(&k.req[k.got])), uintptr(reqSize-k.got))
	switch {
	case errno == syscall.EAGAIN:
		return false
	case errno != 0:
		s.fail(fmt.Errorf("reading a request: %w", errno))
		k.eof = true
	case n == 0:
		k.eof = true
	default:
		s.hits++
		k.got += int(n)
		return k.got == reqSize // else the rest comes with a later sweep
	}
	s.hits++
	return true
}

// finish ends connection k's coroutine: its pipes are closed (the
// client sees the end of its responses).
func (s *coServer) finish(k *coConn) cops.Action {
	syscall.EpollCtl(s.epfd, syscall.EPOLL_CTL_DEL, k.rfd, nil)
	if k.got != 0 && k.got != reqSize && s.err == nil {
		s.fail(errors.New("a request cut short by the end of its pipe"))
	}
	k.c.req.Close()
	k.c.resp.Close()
	s.live--
	return cops.Done
}

func (s *coServer) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}
