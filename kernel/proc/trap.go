package proc

import (
	"fmt"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// Traps from U-mode other than interrupts. A system call goes to
// Syscall; a page fault inside a region is demand paging (a zeroed page
// appears and the instruction is retried); a page fault the region does
// not allow, or any other exception, becomes the signal Linux would
// raise — delivered to the program's handler if it installed one (the
// Go runtime turns SIGSEGV into a panic), otherwise the process dies with
// 128+signal. A legal page that finds no free frame kills the process
// with "out of memory".

// Trap handles a trap of thread t from U-mode that is not an interrupt:
// a system call is served, a page fault in a region is resolved, and
// anything else kills the process (Killed says why).
func (p *Proc) Trap(t *Thread, env Env) {
	tf := &t.TF
	switch tf.Cause {
	case CauseEcallU:
		p.Syscall(t, env)
		return
	case CauseLoadPage, CauseStorePage, CauseInstPage:
		acc := Read
		if tf.Cause == CauseStorePage {
			acc = Write
		} else if tf.Cause == CauseInstPage {
			acc = Exec
		}
		err := p.Space.Fault(tf.Tval, acc)
		if err == nil {
			return
		}
		if err != ErrFault { // the page was legal but no frame was left
			p.FaultPC, p.FaultAddr, p.FaultTID = tf.PC, tf.Tval, t.TID
			p.Kill(fmt.Sprintf("out of memory (%d pages in use): %v", p.Space.Pages(), err))
			return
		}
	}
	sig, code := signalFor(tf.Cause)
	p.Faults++
	if p.faultSignal(t, uint64(sig), uint64(code), tf.Tval) {
		return
	}
	p.FaultPC, p.FaultAddr, p.FaultTID = tf.PC, tf.Tval, t.TID
	p.Exit(128+sig, CauseName(tf.Cause))
}

// Exit ends the whole process, the one way every process ends (exit,
// exit_group, a fatal signal, a fault, a kill, a deadlock, a time
// limit); why is empty for a normal exit. In order: every thread exits,
// every descriptor is closed, the process table's Ended hook sees the
// process with its memory still there (the kernel reports a kill and
// checks the address space), the frames go back (ReleaseErr), a vfork
// parent gets the pid, the parent's wait4/waitid run again and a
// parent that handles SIGCHLD gets it. The status stays until the
// parent waits.
func (p *Proc) Exit(status int, why string) {
	if p.Exited {
		return
	}
	p.Exited, p.Status, p.Killed = true, status, why
	s := p.sched
	for _, t := range p.Threads {
		if s != nil {
			s.exit(t)
		}
	}
	p.endAsync()
	p.closeAll()
	if p.sys != nil && p.sys.Ended != nil {
		p.sys.Ended(p)
	}
	p.ReleaseErr = p.Release()
	if s != nil {
		s.WakeAll(&p.vforkq, sched.CauseWake, uint64(p.PID))
		if p.Parent != nil {
			s.WakeAll(&p.Parent.childq, sched.CauseWake, 0)
		}
	}
	p.tellParent()
}

// tellParent sends SIGCHLD to the parent, if it still runs and handles
// it: with SIG_DFL or SIG_IGN (ignored either way) Linux drops the
// signal at sending, so no thread of the parent is woken for it. The
// siginfo carries si_code SI_TKILL, not CLD_EXITED (wait4 and waitid
// report how the child ended).
func (p *Proc) tellParent() {
	pp := p.Parent
	if pp == nil || pp.Exited {
		return
	}
	if h := pp.handlers[uabi.SIGCHLD].handler; h != uabi.SIG_DFL && h != uabi.SIG_IGN {
		pp.signalProcess(uabi.SIGCHLD)
	}
}

// signalFor is the Linux signal and si_code a fault raises.
func signalFor(cause uint64) (sig, code int) {
	switch cause {
	case CauseIllegal:
		return uabi.SIGILL, uabi.ILL_ILLOPC
	case CauseBreakpoint:
		return uabi.SIGTRAP, 1 // TRAP_BRKPT
	case 0, 4, 6:
		return uabi.SIGBUS, uabi.BUS_ADRALN
	case CauseLoadAccess, CauseStoreAccess, CauseInstAccess:
		return uabi.SIGSEGV, uabi.SEGV_ACCERR
	}
	return uabi.SIGSEGV, uabi.SEGV_MAPERR
}

// readConsole serves read(0, buf, n): console input if some is there,
// 0 at an end-of-file mark, else the thread blocks (WaitInput) and
// repeats the call when the kernel reports input (Sched.WakeInput).
func (p *Proc) readConsole(t *Thread, env Env, buf, n uint64) uint64 {
	if n == 0 {
		return 0
	}
	b := make([]byte, min(n, maxIO))
	got, eof := env.ReadConsole(b)
	if p.sched != nil {
		p.sched.inputReady = got == len(b) // there may be more
	}
	switch {
	case got > 0:
		if p.put(buf, b[:got]) != 0 || buf == 0 {
			return efault
		}
		return uint64(got)
	case eof:
		return 0
	}
	p.sched.Block(t, &p.sched.input, WaitInput, 0, 0)
	return 0
}
