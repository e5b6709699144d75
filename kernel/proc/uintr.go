package proc

import (
	"errors"
	"strings"
	"sync/atomic"
	"unsafe" // a Receiver is viewed in the two frames that hold it

	"copslab/kernel/ktrace"
	"copslab/kernel/uabi"
	"copslab/kernel/vm"
	"copslab/sched"
	"copslab/sched/executor"
	"copslab/uintr"
)

// User-space interrupts and asynchronous system calls: the kernel side
// of package copslab/uintr (its README says what each piece is; the ABI
// is kernel/uabi/uintr.go).
//
// # Receiver
//
// NR_COPS_UINTR_REGISTER gives a process that has a Local a receiver:
// two adjacent frames mapped read-write (never executable) at RecvVA,
// directly after its Local (the vDSO's handler finds the Local at
// receiver − LocalSize), into that process only, formatted by the
// kernel and registered with the machine's uintr.Controller (SetUintr)
// under the process's Local slot. The process then writes its handler,
// handler stack, enables and Wake word there. The kernel trusts none of
// it: the controller keeps the truth (pending bits, ring tail, records
// in flight) and checks handler and stack at each delivery; a handler
// outside the process's text (the vDSO's handler entry excepted) or a
// bad stack kills the process with a message naming both. Release (exit,
// execve) unregisters it and frees the frames; a fork child starts
// without one.
//
// # Delivery
//
// The run loop calls DeliverUintr right before it enters user mode with
// a thread — when the process is placed, and after every trap and tick
// of a running process — so an interrupt is delivered at the receiver's
// next placement or, if it runs, at its next trap or tick. The
// controller diverts the frame to the handler (pc, sp = handler stack,
// a0 = receiver, a1 = hart, a2 = vectors, ra = UiretVA) and keeps the
// interrupted frame in the kernel; NR_COPS_UIRET (the trampoline at
// UiretVA, or the vDSO handler's own ecall) restores it, then sets the
// process's Wake word to 0 and wakes one futex waiter on it: the
// executor may have gone to sleep just as a handler on another of its
// threads woke a coroutine.
//
// A pending interrupt of a process none of whose threads can run would
// wait for nothing: kick wakes one of its blocked threads as a signal
// does (futex, sleep and epoll return EINTR; pipe, console and wait
// calls run again after the handler), so the interrupt is delivered on
// it. While an interrupt is pending the process's global priority is 0
// (pick, Global.SetUintr): the boost ends when the handler is entered.
//
// # Async calls
//
// NR_COPS_ASYNC(nr, a0, a1, a2, key, co) reserves a completion slot,
// then starts a kernel coroutine for the call — a Thread marked kernel,
// in no ready list of the process, never in user mode — with the call's
// registers, and returns 0. Its first step runs at once, in the submit:
// the ordinary system call (read and write of pipes and the console,
// nanosleep) on it. A call that can complete then (a pipe with data or
// room) completes there, as io_uring issues a request inline before it
// hands it to a worker: waiting for the next decision would cost two
// decisions (take the hart for kernel work, place the process again) and
// change nothing, as the kernel-syscall coroutine runs at priority 0
// before any process anyway. A call that blocks waits in the same wait
// queue or timer heap a thread would, and from then on it is the work of
// the kernel-syscall coroutine of the kernel's executor (priority 0,
// beside the console driver: kernel work before any process): when its
// wait ends it is put on the scheduler's kernel list and the
// kernel-syscall coroutine is woken, which runs the call again or takes
// its result. On completion the controller queues the record (key,
// result, co, op) in the receiver and posts the kernel's vector, the
// process is kicked if it sleeps, and the coroutine ends. A process with
// async calls in flight is never judged deadlocked: their completions
// will interrupt it. Exit and execve end its kernel coroutines first.

// RecvVA is where a process sees its receiver: right after its Local.
const RecvVA = LocalVA + sched.LocalSize

// UiretVA is the uiret trampoline (`li a7, NR_COPS_UIRET; ecall`), on
// the sigreturn trampoline's page right after it.
const UiretVA = TrampolineVA + 8

// uiretTrampoline is `li a7, 1539` and `ecall`.
var uiretTrampoline = []uint32{0x60300893, 0x00000073}

// uintrHart is the hart delivery reports (a1): the kernel runs user
// code on hart 0.
const uintrHart = 0

// uintrCtl is the machine's controller (nil: the calls get -ENOSYS).
var uintrCtl uintr.Controller

// uintrProcs finds a registered process by its slot (a send kicks its
// receiver).
var uintrProcs [uintr.MaxProcs]*Proc

// SetUintr gives kernel/proc the machine's user-interrupt controller
// (uintr.NewEmu on QEMU); nil turns the calls off.
func SetUintr(c uintr.Controller) {
	uintrCtl = c
	uintrProcs = [uintr.MaxProcs]*Proc{}
}

// TraceUintr records one of the controller's stages (io-done,
// uintr-send, uintr-deliver) in the kernel's trace, stamped with the
// trace clock and naming its process by pid as the other events do (the
// controller's Trace).
func TraceUintr(e sched.Event) {
	e.Proc = slotPID(e.Proc)
	e.Time = ktrace.Now()
	ktrace.Record(e)
}

// traceSubmit records an async call's io-submit as the kernel takes it
// (key, coroutine co of the process in slot), stamped now. The
// coroutine marks the same stage in its Local (uintr's step S2), but a
// Local reaches the trace only at the process's next decision, stamped
// no earlier than what the trace holds then — after the call's
// completion when the process sleeps until its interrupt.
func traceSubmit(slot uint16, co uint32, key uint64) {
	TraceUintr(sched.Event{Co: co, Waker: sched.NoWaker, Proc: slot, From: sched.Running, To: sched.Running,
		Cause: sched.CauseIOSubmit, Kind: sched.KindUser, Arg: key})
}

// recvState is a process's receiver as the kernel holds it.
type recvState struct {
	frames Frames
	pa     uint64 // first of the two adjacent frames
	slot   uint16
	r      *uintr.Receiver
}

// asyncCall is what an async call's kernel coroutine completes.
type asyncCall struct {
	key uint64
	co  uint32
	op  uintr.Op
}

// uintrErrno maps the controller's errors to errno results.
func uintrErrno(err error) uint64 {
	switch {
	case errors.Is(err, uintr.ErrNotGranted):
		return uabi.Errno(uabi.EPERM)
	case errors.Is(err, uintr.ErrBusy):
		return uabi.Errno(uabi.EAGAIN)
	case errors.Is(err, uintr.ErrTableFull):
		return uabi.Errno(uabi.ENOSPC)
	}
	return uabi.Errno(uabi.EINVAL)
}

// killed ends p if err is the controller's Kill and reports whether it was.
func (p *Proc) killed(err error) bool {
	var k *uintr.Kill
	if !errors.As(err, &k) {
		return false
	}
	p.Kill(strings.TrimPrefix(k.Msg, "process "+itoa(int(k.Proc))+": ")) // (the slot: the kernel's reports name the pid)
	return true
}

// uintrRegister serves NR_COPS_UINTR_REGISTER: the receiver's address.
func (c *call) uintrRegister() uint64 {
	p := c.p
	if uintrCtl == nil || p.cops == nil || int(p.cops.slot) >= uintr.MaxProcs {
		return uabi.Errno(uabi.ENOSYS)
	}
	if p.uintr == nil {
		s := p.Space
		pa, ok := allocPair(s.frames)
		if !ok {
			return uabi.Errno(uabi.ENOMEM)
		}
		lo, hi := s.phys.Bytes(pa, PageSize), s.phys.Bytes(pa+PageSize, PageSize)
		if uintptr(unsafe.Pointer(&lo[0]))+PageSize != uintptr(unsafe.Pointer(&hi[0])) ||
			s.MapShared(RecvVA, pa, uintr.RecvSize, vm.R|vm.W) != nil {
			s.frames.Free(pa)
			s.frames.Free(pa + PageSize)
			return uabi.Errno(uabi.ENOMEM)
		}
		p.uintr = &recvState{frames: s.frames, pa: pa, slot: p.cops.slot, r: (*uintr.Receiver)(unsafe.Pointer(&lo[0]))}
	}
	u := p.uintr
	u.r.Init()
	if _, err := uintrCtl.Register(u.slot, u.r, uintrSpace{p}); err != nil {
		return uintrErrno(err)
	}
	uintrProcs[u.slot] = p
	return RecvVA
}

// releaseUintr unregisters p's receiver and frees its frames (the
// mapping goes with the space).
func (p *Proc) releaseUintr() {
	u := p.uintr
	if u == nil {
		return
	}
	p.uintr = nil
	uintrCtl.Unregister(u.slot)
	uintrProcs[u.slot] = nil
	u.frames.Free(u.pa)
	u.frames.Free(u.pa + PageSize)
}

// uintrGrant serves NR_COPS_UINTR_GRANT(vector, pid): the index of the
// sender entry pid must name.
func (c *call) uintrGrant() uint64 {
	p := c.p
	if uintrCtl == nil || p.uintr == nil {
		return uabi.Errno(uabi.EINVAL)
	}
	var to *Proc
	if p.sys != nil {
		to = p.sys.Lookup(int(int32(c.a[1])))
	}
	if to == nil || to.Exited || to.cops == nil {
		return uabi.Errno(uabi.ESRCH)
	}
	if c.a[0] >= uintr.NVectors {
		return uabi.Errno(uabi.EINVAL)
	}
	idx, err := uintrCtl.Grant(p.uintr.slot, uint8(c.a[0]), to.cops.slot)
	if err != nil {
		return uintrErrno(err)
	}
	return uint64(idx)
}

// uintrSend serves NR_COPS_UINTR_SEND(index): -EPERM unless the caller
// holds that entry.
func (c *call) uintrSend() uint64 {
	p := c.p
	if uintrCtl == nil {
		return uabi.Errno(uabi.ENOSYS)
	}
	if p.cops == nil || c.a[0] >= uintr.SendersPerProc {
		return uabi.Errno(uabi.EPERM) // no such entry
	}
	if err := uintrCtl.Post(p.cops.slot, int(c.a[0])); err != nil {
		return uintrErrno(err)
	}
	for _, q := range uintrProcs { // (the receiver is one of them)
		if q != nil {
			q.kick()
		}
	}
	return 0
}

// uiret serves NR_COPS_UIRET: back to the frame the delivery saved.
func (c *call) uiret() uint64 {
	p, t := c.p, c.t
	u := p.uintr
	if u == nil {
		return uabi.Errno(uabi.ENOSYS)
	}
	f := uintr.Frame{X: t.TF.X, PC: t.TF.PC}
	if err := uintrCtl.Return(u.slot, &f); err != nil {
		return uabi.Errno(uabi.EINVAL)
	}
	t.TF.X, t.TF.PC = f.X, f.PC
	if w := atomic.LoadUint64(&u.r.Wake); w != 0 && w%4 == 0 && p.put(w, make([]byte, 4)) == 0 {
		p.futexWakeCause(w, 1, sched.CauseUintr)
	}
	return t.TF.X[RegA0] // (Syscall stores it back)
}

// asyncOps maps the calls that have an async form to their record's Op.
func asyncOp(nr uint64) uintr.Op {
	switch nr {
	case uabi.SYS_READ:
		return uintr.OpRead
	case uabi.SYS_WRITE:
		return uintr.OpWrite
	case uabi.SYS_NANOSLEEP:
		return uintr.OpSleep
	}
	return uintr.OpNone
}

// async serves NR_COPS_ASYNC(nr, a0, a1, a2, key, co) (see the essay).
func (c *call) async() uint64 {
	p := c.p
	u := p.uintr
	op := asyncOp(c.a[0])
	if u == nil || op == uintr.OpNone || p.sched == nil || p.sched.Env == nil {
		return uabi.Errno(uabi.EINVAL)
	}
	if err := uintrCtl.Reserve(u.slot); err != nil {
		if p.killed(err) {
			return 0
		}
		return uintrErrno(err)
	}
	kt := newKThread()
	kt.proc, kt.kernel, kt.krerun, kt.async = p, true, true, asyncCall{key: c.a[4], co: uint32(c.a[5]), op: op}
	kt.TF.X[RegA7] = c.a[0]
	copy(kt.TF.X[RegA0:RegA0+3], c.a[1:4])
	p.kthreads = append(p.kthreads, kt)
	p.nAsync++
	p.Async++
	traceSubmit(u.slot, uint32(c.a[5]), c.a[4])
	kt.state = sched.Running // its first step, at once: it completes or waits
	p.runAsync(kt, p.sched.Env, true)
	return 0
}

// kthreadPool keeps ended kernel coroutines for the next async calls
// (a Thread is most of a kilobyte; a pipe ring makes two calls a hop).
var kthreadPool []*Thread

// newKThread returns a zeroed Thread, from the pool if it has one.
func newKThread() *Thread {
	if n := len(kthreadPool); n > 0 {
		kt := kthreadPool[n-1]
		kthreadPool[n-1] = nil
		kthreadPool = kthreadPool[:n-1]
		return kt
	}
	return &Thread{}
}

// freeKThread gives an ended kernel coroutine back to the pool.
func freeKThread(kt *Thread) {
	if len(kthreadPool) < 1024 {
		*kt = Thread{}
		kthreadPool = append(kthreadPool, kt)
	}
}

// runAsync runs an async call's kernel coroutine: the system call
// (again, if run) — unless it blocks, it completes.
func (p *Proc) runAsync(kt *Thread, env Env, run bool) {
	if run {
		p.Syscall(kt, env)
		if kt.state == sched.Blocked {
			return
		}
	}
	p.finishAsync(kt)
}

// finishAsync completes kt's call: the record, the interrupt, the end
// of the coroutine.
func (p *Proc) finishAsync(kt *Thread) {
	kt.state = sched.Exited
	for i, t := range p.kthreads {
		if t == kt {
			p.kthreads = append(p.kthreads[:i], p.kthreads[i+1:]...)
			break
		}
	}
	p.nAsync--
	if u := p.uintr; u != nil {
		a := kt.async
		err := uintrCtl.Complete(u.slot, uintr.Record{Key: a.key, Result: int64(kt.TF.X[RegA0]), Co: a.co, Op: a.op})
		freeKThread(kt)
		if p.killed(err) {
			return
		}
	}
	p.kick()
	if p.nAsync == 0 && p.sched != nil {
		p.sched.checkStuck(p)
	}
}

// endAsync ends p's kernel coroutines without completing them (exit,
// execve).
func (p *Proc) endAsync() {
	for _, kt := range p.kthreads {
		if p.sched != nil {
			p.sched.detach(kt)
		}
		kt.state = sched.Exited
	}
	p.kthreads, p.nAsync = nil, 0
}

// kernelReady queues kt to run its call: the kernel-syscall coroutine
// (priority 0 in the kernel's executor) runs the queue at the next
// decision, before any process is placed; without an executor Next runs
// it inline.
func (s *Sched) kernelReady(kt *Thread) {
	kt.state = sched.Ready
	s.kready = append(s.kready, kt)
	if id, ok := s.asyncQueue(); ok {
		copsX.Wake(id, sched.CauseWake, 0) // (already ready or running: one run serves all)
	}
}

// asyncQueue returns the kernel-syscall coroutine of the kernel's
// executor, spawning it on first use; false without an executor (or no
// coroutine left: Next runs the queue inline). Each run of the
// coroutine — its first too — runs the queue, then blocks until woken.
func (s *Sched) asyncQueue() (uint32, bool) {
	if copsX == nil {
		return 0, false
	}
	if s.asyncX != copsX {
		id, err := copsX.Spawn(sched.KindKernelSyscall, 0, func(uint64, uint32) executor.Action {
			s.runKernel()
			return executor.Block
		})
		if err != nil {
			return 0, false
		}
		s.asyncCo, s.asyncX = id, copsX
	}
	return s.asyncCo, true
}

// runKernel runs the kernel coroutines whose wait ended (the
// kernel-syscall coroutine's work).
func (s *Sched) runKernel() {
	for len(s.kready) > 0 {
		kt := s.kready[0]
		n := copy(s.kready, s.kready[1:])
		s.kready[n] = nil
		s.kready = s.kready[:n]
		kt.state = sched.Running
		if p := kt.proc; !p.Exited && s.Env != nil {
			p.runAsync(kt, s.Env, kt.krerun)
		}
	}
}

// unkready takes kt off the kernel list (exit while it waits to run).
func (s *Sched) unkready(kt *Thread) {
	for i, t := range s.kready {
		if t == kt {
			s.kready = append(s.kready[:i], s.kready[i+1:]...)
			return
		}
	}
}

// execSleep reports whether a futex wait on addr is p's executor going
// to sleep while its async calls are in flight (addr is its receiver's
// Wake word).
func (p *Proc) execSleep(addr uint64) bool {
	return p.uintr != nil && p.nAsync > 0 && addr == atomic.LoadUint64(&p.uintr.r.Wake)
}

// countExecWake counts the end of an executor's sleep: by its user
// interrupt (the kick, the uiret wake: cause uintr) or by anything else.
func (p *Proc) countExecWake(cause sched.Cause) {
	if cause == sched.CauseUintr {
		p.ExecWakes++
	} else {
		p.OtherWakes++
	}
}

// uintrPending reports whether p has a user interrupt to be delivered.
func (p *Proc) uintrPending() bool {
	return p.uintr != nil && uintrCtl.Pending(p.uintr.slot)
}

// kick wakes one blocked thread of p if an interrupt is pending and
// none of its threads can run to take it (see the essay).
func (p *Proc) kick() {
	if p.Exited || p.sched == nil || !p.uintrPending() {
		return
	}
	var target *Thread
	for _, t := range p.Threads {
		switch {
		case t.state == sched.Ready || t.state == sched.Running:
			return
		case t.state == sched.Blocked && t.wait != WaitVfork && (target == nil || t.wait == WaitFutex && target.wait != WaitFutex):
			target = t
		}
	}
	if target != nil {
		p.sched.Wake(target, sched.CauseUintr, uabi.Errno(uabi.EINTR))
	}
}

// DeliverUintr diverts t to p's user-interrupt handler if an interrupt
// is to be delivered (the run loop calls it right before entering user
// mode with t); a bad handler or stack kills p (its Killed says why).
func (p *Proc) DeliverUintr(t *Thread) {
	u := p.uintr
	if u == nil {
		return
	}
	if _, emu := uintrCtl.(*uintr.Emu); emu && !uintrCtl.Pending(u.slot) {
		return // the emulation diverts only then; spare the frame copy
	}
	f := uintr.Frame{X: t.TF.X, PC: t.TF.PC}
	if err := uintrCtl.Enter(u.slot, uintrHart, &f); err != nil {
		p.FaultPC, p.FaultTID = t.TF.PC, t.TID
		if !p.killed(err) {
			p.Kill(err.Error())
		}
		return
	}
	if f.PC != t.TF.PC {
		p.Delivered++
		p.logDelivery(u.r, t)
	}
	t.TF.X, t.TF.PC = f.X, f.PC
}

// LeaveUintr tells the controller p left the hart (the run loop calls
// it after each return from user mode).
func (p *Proc) LeaveUintr() {
	if u := p.uintr; u != nil {
		uintrCtl.Leave(u.slot, uintrHart)
	}
}

// uintrSpace answers the controller's questions about p's memory.
type uintrSpace struct{ p *Proc }

func (s uintrSpace) Text() (lo, hi uint64) {
	if im := s.p.Image; im != nil {
		return im.TextLo, im.TextHi
	}
	return 0, 0
}

// Writable reports whether every page of [va, va+n) is mapped, or
// reserved for demand paging, with user write permission.
func (s uintrSpace) Writable(va, n uint64) bool {
	sp := s.p.Space
	if sp == nil || n == 0 || va+n < va || va+n > UserTop {
		return false
	}
	for pg := va &^ (PageSize - 1); pg < va+n; pg += PageSize {
		if _, perm, ok := sp.PT.Translate(pg); ok {
			if perm&(vm.U|vm.W) != vm.U|vm.W {
				return false
			}
			continue
		}
		if r := sp.regionOf(pg); r == nil || r.perm&vm.W == 0 {
			return false
		}
	}
	return true
}

func (s uintrSpace) Trampoline() uint64 { return UiretVA }
func (s uintrSpace) Receiver() uint64   { return RecvVA }

func (s uintrSpace) VDSOHandler() uint64 {
	if s.p.vdsoVA == 0 || vdso == nil || vdso.UintrHandler == 0 {
		return 0
	}
	return s.p.vdsoVA + vdso.UintrHandler
}
