package proc

import "copslab/kernel/uabi"

// Console is where fd 1 and 2 go.
type Console interface {
	Write(b []byte) (int, error)
}

// maxIO bounds one read or write (the kernel copies through a buffer).
const maxIO = 64 << 10

// Syscall serves the ecall in p.TF: number in a7, arguments in a0..a5,
// result (or -errno) in a0, pc moved past the ecall. exit and
// exit_group mark the process exited instead.
func (p *Proc) Syscall(con Console) {
	tf := &p.TF
	nr, a := tf.X[RegA7], tf.X[RegA0:RegA0+6]
	p.Syscalls++
	tf.PC += 4
	var r uint64
	switch nr {
	case uabi.SYS_WRITE:
		r = p.sysWrite(con, a[0], a[1], a[2])
	case uabi.SYS_EXIT, uabi.SYS_EXIT_GROUP:
		p.Exited, p.Status = true, int(a[0]&0xff)
		return
	case uabi.SYS_GETPID, uabi.SYS_GETTID:
		r = uint64(p.PID)
	default:
		p.Unknown[nr]++
		r = uabi.Errno(uabi.ENOSYS)
	}
	tf.X[RegA0] = r
}

func (p *Proc) sysWrite(con Console, fd, buf, n uint64) uint64 {
	if fd != 1 && fd != 2 {
		return uabi.Errno(uabi.EBADF)
	}
	n = min(n, maxIO)
	b := make([]byte, n)
	if err := p.Space.CopyIn(b, buf); err != nil {
		return uabi.Errno(uabi.EFAULT)
	}
	con.Write(b)
	return n
}

// Trap handles a trap from U-mode that is not an interrupt: a system
// call is served, a page fault in a reserved region is resolved, and
// anything else kills the process (Killed says why). It reports whether
// the process can continue.
func (p *Proc) Trap(con Console) bool {
	tf := &p.TF
	switch tf.Cause {
	case CauseEcallU:
		p.Syscall(con)
		return !p.Exited
	case CauseLoadPage, CauseStorePage, CauseInstPage:
		acc := map[uint64]Access{CauseLoadPage: Read, CauseStorePage: Write, CauseInstPage: Exec}[tf.Cause]
		if p.Space.Fault(tf.Tval, acc) == nil {
			return true
		}
	}
	p.Exited = true
	p.Status = 128 + signalFor(tf.Cause)
	p.Killed = CauseName(tf.Cause)
	return false
}

// signalFor is the Linux signal a fault would raise.
func signalFor(cause uint64) int {
	switch cause {
	case CauseIllegal:
		return uabi.SIGILL
	case CauseBreakpoint:
		return uabi.SIGTRAP
	case 0, 4, 6:
		return uabi.SIGBUS
	}
	return uabi.SIGSEGV
}
