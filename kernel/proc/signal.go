package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/kernel/vm"
	"copslab/sched"
)

// Signals, enough for the Go runtime: handlers (rt_sigaction), per-thread
// masks (rt_sigprocmask) and alternate stacks (sigaltstack), delivery
// of faults and of tgkill/kill, and rt_sigreturn.
//
// Delivery builds Linux's riscv64 struct rt_sigframe (layout in
// kernel/uabi/sigframe.go) below the thread's sp, or at the top of its
// alternate stack for SA_ONSTACK handlers: siginfo, then a ucontext
// holding the interrupted pc, x1..x31, f0..f31, fcsr and the old mask.
// The thread then runs handler(sig, &info, &uc) on that stack with ra
// pointing at a trampoline page (`li a7, 139; ecall`) the kernel maps in
// every process, as Linux's vDSO provides one. rt_sigreturn reloads all
// registers from the ucontext, so a handler can redirect the thread —
// the Go runtime turns a nil dereference into a call of sigpanic this
// way (a Go panic with a stack trace, exit status 2) and preempts
// goroutines with SIGURG.
//
// A fault whose signal has no handler, or is blocked, kills the process
// with 128+signal. Asynchronous signals are left pending until the
// thread next runs (DeliverPending). A thread blocked in an interruptible
// wait is woken for a signal it does not block (interrupt): a futex,
// sleep or epoll wait returns EINTR, a pipe or console read and wait4
// run again once the handler returns (SA_RESTART, which Go sets for every
// handler). A signal sent to the process (kill) goes to one thread that
// does not block it, as Linux's complete_signal chooses: a running or
// ready one if there is one, else a blocked one, which is woken — Go's
// main thread usually sleeps in futex, and signal.Notify must still see
// SIGTERM.

// TrampolineVA is the page holding the rt_sigreturn trampoline.
const TrampolineVA = UserTop - 2*PageSize

// trampoline is `li a7, 139` (rt_sigreturn) and `ecall`.
var trampoline = []uint32{0x08b00893, 0x00000073}

// sigaction is one signal's disposition.
type sigaction struct {
	handler, flags, mask uint64
}

// sigState is a thread's signal state.
type sigState struct {
	mask    uint64 // blocked signals
	pending uint64
	altSP   uint64 // alternate stack; altSize 0 = none
	altSize uint64
}

// mapTrampoline maps the sigreturn trampoline, read+execute.
func (p *Proc) mapTrampoline() error {
	if err := p.Space.MapZero(TrampolineVA, PageSize, vm.R|vm.X); err != nil {
		return err
	}
	b := make([]byte, 0, 16)
	for _, w := range append(trampoline, uiretTrampoline...) { // the uiret one at UiretVA (uintr.go)
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return p.Space.poke(TrampolineVA, b)
}

func validSig(sig uint64) bool { return sig >= 1 && sig <= uabi.NSIG }

// kill(pid, sig): another process, or this one.
func (c *call) kill() uint64 {
	if c.a[0] != uint64(c.p.PID) && c.a[0] != 0 {
		return c.p.killOther(int64(c.a[0]), c.a[1])
	}
	return c.p.signalProcess(c.a[1])
}

// signalProcess makes sig pending on the thread of p chosen to take it
// (see the essay above) and wakes that thread if it is blocked.
func (p *Proc) signalProcess(sig uint64) uint64 {
	if sig == 0 {
		return 0 // existence check
	}
	if !validSig(sig) {
		return uabi.Errno(uabi.EINVAL)
	}
	bit := uint64(1) << (sig - 1)
	var target, first *Thread
	for _, t := range p.Threads {
		if !t.live() {
			continue
		}
		if first == nil {
			first = t
		}
		if t.sig.mask&bit != 0 {
			continue
		}
		if t.state != sched.Blocked {
			target = t
			break
		}
		if target == nil {
			target = t
		}
	}
	if target == nil {
		target = first // every thread blocks it: pending until one unblocks it
	}
	if target == nil {
		return uabi.Errno(uabi.ESRCH)
	}
	target.sig.pending |= bit
	p.Signals++
	p.interrupt(target)
	return 0
}

// interrupt wakes t from an interruptible wait if a signal it does not
// block is pending: EINTR for futex, sleep and epoll (ignored by waits
// that run their call again). A vfork parent waits on.
func (p *Proc) interrupt(t *Thread) {
	if t.state == sched.Blocked && t.wait != WaitVfork && t.sig.pending&^t.sig.mask != 0 && p.sched != nil {
		if t.execWait { // counted apart from the executor's other wakes (uintr.go)
			p.SignalWakes++
			t.execWait = false
		}
		p.sched.Wake(t, sched.CauseWake, uabi.Errno(uabi.EINTR))
	}
}

func (p *Proc) sigaction(sig, act, old uint64) uint64 {
	if !validSig(sig) {
		return uabi.Errno(uabi.EINVAL)
	}
	cur := p.handlers[sig]
	if old != 0 {
		var b [uabi.SigactionSize]byte
		binary.LittleEndian.PutUint64(b[uabi.SaHandler:], cur.handler)
		binary.LittleEndian.PutUint64(b[uabi.SaFlags:], cur.flags)
		binary.LittleEndian.PutUint64(b[uabi.SaMask:], cur.mask)
		if p.put(old, b[:]) != 0 {
			return efault
		}
	}
	if act != 0 {
		if sig == uabi.SIGKILL || sig == uabi.SIGSTOP {
			return uabi.Errno(uabi.EINVAL)
		}
		var b [uabi.SigactionSize]byte
		if p.Space.CopyIn(b[:], act) != nil {
			return efault
		}
		p.handlers[sig] = sigaction{
			handler: binary.LittleEndian.Uint64(b[uabi.SaHandler:]),
			flags:   binary.LittleEndian.Uint64(b[uabi.SaFlags:]),
			mask:    binary.LittleEndian.Uint64(b[uabi.SaMask:]),
		}
	}
	return 0
}

// unblockable are never masked.
const unblockable = 1<<(uabi.SIGKILL-1) | 1<<(uabi.SIGSTOP-1)

func (p *Proc) sigprocmask(t *Thread, how, set, old uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], t.sig.mask)
	if p.put(old, b[:]) != 0 {
		return efault
	}
	if set == 0 {
		return 0
	}
	if p.Space.CopyIn(b[:], set) != nil {
		return efault
	}
	m := binary.LittleEndian.Uint64(b[:])
	switch how {
	case uabi.SIG_BLOCK:
		t.sig.mask |= m
	case uabi.SIG_UNBLOCK:
		t.sig.mask &^= m
	case uabi.SIG_SETMASK:
		t.sig.mask = m
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	t.sig.mask &^= unblockable
	return 0
}

func (p *Proc) sigaltstack(t *Thread, ss, old uint64) uint64 {
	if old != 0 {
		var b [uabi.StackTSize]byte
		flags := uint64(uabi.SS_DISABLE)
		if t.sig.altSize != 0 {
			flags = 0
			if sp := t.TF.X[RegSP]; sp > t.sig.altSP && sp <= t.sig.altSP+t.sig.altSize {
				flags = uabi.SS_ONSTACK
			}
		}
		binary.LittleEndian.PutUint64(b[uabi.StackSp:], t.sig.altSP)
		binary.LittleEndian.PutUint64(b[uabi.StackFlags:], flags)
		binary.LittleEndian.PutUint64(b[uabi.StackSize:], t.sig.altSize)
		if p.put(old, b[:]) != 0 {
			return efault
		}
	}
	if ss == 0 {
		return 0
	}
	var b [uabi.StackTSize]byte
	if p.Space.CopyIn(b[:], ss) != nil {
		return efault
	}
	sp := binary.LittleEndian.Uint64(b[uabi.StackSp:])
	flags := binary.LittleEndian.Uint32(b[uabi.StackFlags:])
	size := binary.LittleEndian.Uint64(b[uabi.StackSize:])
	switch {
	case flags&uabi.SS_DISABLE != 0:
		t.sig.altSP, t.sig.altSize = 0, 0
	case size < uabi.MINSIGSTKSZ:
		return uabi.Errno(uabi.ENOMEM)
	default:
		t.sig.altSP, t.sig.altSize = sp, size
	}
	return 0
}

// signalThread marks sig pending for thread tid.
func (p *Proc) signalThread(tid, sig uint64) uint64 {
	if sig == 0 {
		return 0 // existence check
	}
	if !validSig(sig) {
		return uabi.Errno(uabi.EINVAL)
	}
	for _, t := range p.Threads {
		if uint64(t.TID) == tid && t.live() {
			t.sig.pending |= 1 << (sig - 1)
			p.Signals++
			p.interrupt(t)
			return 0
		}
	}
	return uabi.Errno(uabi.ESRCH)
}

// DeliverPending delivers t's lowest pending unblocked signal, if any,
// before t runs. An ignored or default-disposition signal is dropped,
// except that SIGKILL and the default action of a terminating signal
// end the process (SIGURG, SIGCHLD, SIGWINCH are ignored by default).
func (p *Proc) DeliverPending(t *Thread) {
	ready := t.sig.pending &^ t.sig.mask
	if ready == 0 || t.state == sched.Blocked || t.state == sched.Exited {
		return
	}
	sig := uint64(0)
	for ready&(1<<sig) == 0 {
		sig++
	}
	sig++
	t.sig.pending &^= 1 << (sig - 1)
	h := p.handlers[sig]
	switch {
	case sig == uabi.SIGKILL:
		p.Kill("killed by SIGKILL")
	case h.handler == uabi.SIG_IGN:
	case h.handler == uabi.SIG_DFL:
		if sig != uabi.SIGURG && sig != uabi.SIGCHLD && sig != uabi.SIGWINCH {
			p.Exit(128+int(sig), "killed by signal "+itoa(int(sig)))
		}
	default:
		p.deliver(t, sig, siTkill, 0, h)
	}
}

// Fault delivers a synchronous fault signal; false if the process must
// die instead (no handler, or the signal is blocked).
func (p *Proc) faultSignal(t *Thread, sig, code, addr uint64) bool {
	h := p.handlers[sig]
	if h.handler == uabi.SIG_DFL || h.handler == uabi.SIG_IGN || t.sig.mask&(1<<(sig-1)) != 0 {
		return false
	}
	return p.deliver(t, sig, code, addr, h)
}

// deliver builds the signal frame and points t at the handler. A frame
// that cannot be written kills the process.
func (p *Proc) deliver(t *Thread, sig, code, addr uint64, h sigaction) bool {
	tf := &t.TF
	sp := tf.X[RegSP]
	onAlt := t.sig.altSize != 0 && sp > t.sig.altSP && sp <= t.sig.altSP+t.sig.altSize
	if h.flags&uabi.SA_ONSTACK != 0 && t.sig.altSize != 0 && !onAlt {
		sp = t.sig.altSP + t.sig.altSize
	}
	frame := (sp - uabi.SigframeSize) &^ 15
	b := make([]byte, uabi.SigframeSize)
	le := binary.LittleEndian
	le.PutUint32(b[uabi.SiSigno:], uint32(sig))
	le.PutUint32(b[uabi.SiCode:], uint32(code))
	le.PutUint64(b[uabi.SiAddr:], addr)
	uc := b[uabi.SigframeUc:]
	le.PutUint64(uc[uabi.UcStack+uabi.StackSp:], t.sig.altSP)
	le.PutUint64(uc[uabi.UcStack+uabi.StackSize:], t.sig.altSize)
	le.PutUint64(uc[uabi.UcSigmask:], t.sig.mask)
	mc := uc[uabi.UcMcontext:]
	le.PutUint64(mc[uabi.ScReg(0):], tf.PC)
	for i := 1; i < 32; i++ {
		le.PutUint64(mc[uabi.ScReg(i):], tf.X[i])
	}
	for i := 0; i < 32; i++ {
		le.PutUint64(mc[uabi.ScFreg(i):], tf.F[i])
	}
	le.PutUint32(mc[uabi.ScFcsr:], uint32(tf.FCSR))
	if p.Space.CopyOut(frame, b) != nil {
		p.FaultPC, p.FaultAddr, p.FaultTID = tf.PC, frame, t.TID
		p.Exit(128+uabi.SIGSEGV, "signal frame not writable")
		return true
	}
	t.sig.mask |= h.mask
	if h.flags&uabi.SA_NODEFER == 0 {
		t.sig.mask |= 1 << (sig - 1)
	}
	t.sig.mask &^= unblockable
	tf.PC = h.handler
	tf.X[RegSP] = frame
	tf.X[RegRA] = TrampolineVA
	tf.X[RegA0] = sig
	tf.X[RegA1] = frame + uabi.SigframeInfo
	tf.X[RegA1+1] = frame + uabi.SigframeUc
	if h.flags&uabi.SA_RESETHAND != 0 {
		p.handlers[sig] = sigaction{}
	}
	return true
}

// sigreturn restores the context saved by deliver from the frame at sp.
func (p *Proc) sigreturn(t *Thread) {
	tf := &t.TF
	frame := tf.X[RegSP]
	b := make([]byte, uabi.UcontextSize)
	if p.Space.CopyIn(b, frame+uabi.SigframeUc) != nil {
		p.FaultPC, p.FaultAddr, p.FaultTID = tf.PC, frame, t.TID
		p.Exit(128+uabi.SIGSEGV, "bad signal frame in rt_sigreturn")
		return
	}
	le := binary.LittleEndian
	t.sig.mask = le.Uint64(b[uabi.UcSigmask:]) &^ unblockable
	mc := b[uabi.UcMcontext:]
	tf.PC = le.Uint64(mc[uabi.ScReg(0):])
	for i := 1; i < 32; i++ {
		tf.X[i] = le.Uint64(mc[uabi.ScReg(i):])
	}
	for i := 0; i < 32; i++ {
		tf.F[i] = le.Uint64(mc[uabi.ScFreg(i):])
	}
	tf.FCSR = uint64(le.Uint32(mc[uabi.ScFcsr:]))
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// siTkill is si_code SI_TKILL (-6) as a register value.
var siTkill = ^uint64(-uabi.SI_TKILL - 1)
