package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/sched"
)

// Env is what system calls need from the machine.
type Env interface {
	// Write sends b to the console (fd 1 and 2).
	Write(b []byte) (int, error)
	// Now is monotonic time in ns; Wall is Unix time in ns.
	Now() int64
	Wall() int64
	// Random fills b with random bytes.
	Random(b []byte)
	// ReadConsole takes up to len(b) bytes of console input without
	// blocking; eof reports an end-of-file mark (Ctrl-D) instead.
	ReadConsole(b []byte) (n int, eof bool)
}

// prSetVMA is prctl's PR_SET_VMA (the Go runtime names its mappings).
const prSetVMA = 0x53564d41

// maxIO bounds one read or write (the kernel copies through a buffer).
const maxIO = 64 << 10

// timedOut is -ETIMEDOUT as a result register.
var timedOut = uabi.Errno(uabi.ETIMEDOUT)

// efault is -EFAULT as a result register.
var efault = uabi.Errno(uabi.EFAULT)

// Syscall serves the ecall in t.TF: number in a7, arguments in a0..a5,
// result (or -errno) in a0, pc moved past the ecall. A call that blocks
// leaves t blocked; the result is set when it wakes.
func (p *Proc) Syscall(t *Thread, env Env) {
	tf := &t.TF
	nr, a := tf.X[RegA7], tf.X[RegA0:RegA0+6]
	p.Syscalls++
	tf.PC += 4
	r, ok := p.sysMem(nr, a)
	if !ok {
		r, ok = p.sysThread(t, env, nr, a)
	}
	if !ok {
		r, ok = p.sysPoll(t, env, nr, a)
	}
	if !ok {
		r, ok = p.sysSignal(t, nr, a)
	}
	if !ok {
		r, ok = p.sysFD(t, nr, a)
	}
	if !ok {
		r, ok = p.sysFS(t, nr, a)
	}
	if !ok {
		r, ok = p.sysProc(t, nr, a)
	}
	if !ok {
		r, ok = p.sysMisc(t, env, nr, a)
	}
	if !ok {
		p.Unknown[nr]++
		r = uabi.Errno(uabi.ENOSYS)
	}
	if t.state != sched.Blocked && nr != uabi.SYS_RT_SIGRETURN {
		tf.X[RegA0] = r
	}
}

// sysMem serves the memory calls.
func (p *Proc) sysMem(nr uint64, a []uint64) (uint64, bool) {
	s := p.Space
	switch nr {
	case uabi.SYS_MMAP:
		return s.Mmap(a[0], a[1], a[2], a[3], a[4]), true
	case uabi.SYS_MUNMAP:
		return s.Munmap(a[0], a[1]), true
	case uabi.SYS_MPROTECT:
		return s.Mprotect(a[0], a[1], a[2]), true
	case uabi.SYS_MADVISE:
		if a[2] == uabi.MADV_DONTNEED {
			return s.DontNeed(a[0], a[1]), true
		}
		return 0, true
	case uabi.SYS_BRK:
		return p.brk(a[0]), true
	}
	return 0, false
}

// brk moves the break up (new pages are faulted in on demand) and
// returns the new break; it never shrinks and returns the old break
// when it cannot move, as Linux does.
func (p *Proc) brk(addr uint64) uint64 {
	if addr <= p.Brk {
		return p.Brk
	}
	end := (addr + PageSize - 1) &^ (PageSize - 1)
	cur := (p.Brk + PageSize - 1) &^ (PageSize - 1)
	if end > cur {
		if end > MmapTop || !p.Space.free(cur, end) {
			return p.Brk
		}
		p.Space.Reserve(cur, end-cur, permOf(uabi.PROT_READ|uabi.PROT_WRITE))
	}
	p.Brk = addr
	return addr
}

// sysMisc serves files on the console, time, identity and randomness.
func (p *Proc) sysMisc(t *Thread, env Env, nr uint64, a []uint64) (uint64, bool) {
	switch nr {
	case uabi.SYS_WRITE:
		return p.sysWrite(env, a[0], a[1], a[2]), true
	case uabi.SYS_READ:
		if p.files[a[0]] == consoleFile {
			return p.readConsole(t, env, a[1], a[2]), true
		}
		if f := p.files[a[0]]; f != nil && f.kind == fdEventfd && a[2] >= 8 {
			return p.eventfdRead(f, a[1]), true
		}
		return uabi.Errno(uabi.EBADF), true
	case uabi.SYS_PRLIMIT64:
		if a[3] != 0 { // old limits: unlimited, as the kernel enforces none
			var b [16]byte
			binary.LittleEndian.PutUint64(b[:], ^uint64(0))
			binary.LittleEndian.PutUint64(b[8:], ^uint64(0))
			if p.put(a[3], b[:]) != 0 {
				return efault, true
			}
		}
		return 0, true
	case uabi.SYS_PRCTL:
		if a[0] == prSetVMA {
			return 0, true // naming mappings: accepted, not recorded
		}
		return uabi.Errno(uabi.EINVAL), true
	case uabi.SYS_PREAD64:
		return uabi.Errno(uabi.ESPIPE), true
	case uabi.SYS_CLOCK_GETTIME:
		ns := env.Now()
		if a[0] == 0 { // CLOCK_REALTIME
			ns = env.Wall()
		}
		return p.putTimespec(a[1], ns), true
	case uabi.SYS_GETTIMEOFDAY:
		ns := env.Wall()
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], uint64(ns/1e9))
		binary.LittleEndian.PutUint64(b[8:], uint64(ns%1e9/1e3))
		return p.put(a[0], b[:]), true
	case uabi.SYS_GETPID:
		return uint64(p.PID), true
	case uabi.SYS_GETTID:
		return uint64(t.TID), true
	case uabi.SYS_SET_TID_ADDRESS:
		return uint64(t.TID), true
	case uabi.SYS_SCHED_GETAFFINITY:
		if a[1] < 8 {
			return uabi.Errno(uabi.EINVAL), true
		}
		var b [8]byte
		b[0] = 1 // one CPU
		return orErr(p.put(a[2], b[:]), 8), true
	case uabi.SYS_GETRANDOM:
		b := make([]byte, min(a[1], maxIO))
		env.Random(b)
		return orErr(p.put(a[0], b), uint64(len(b))), true
	}
	return 0, false
}

// orErr returns ok unless r is an error.
func orErr(r, ok uint64) uint64 {
	if r != 0 {
		return r
	}
	return ok
}

// put copies b out to user memory: 0 or -EFAULT. A NULL pointer is
// allowed and skipped (optional output arguments).
func (p *Proc) put(va uint64, b []byte) uint64 {
	if va == 0 {
		return 0
	}
	if p.Space.CopyOut(va, b) != nil {
		return efault
	}
	return 0
}

func (p *Proc) zero(va, n uint64) uint64 { return p.put(va, make([]byte, n)) }

func (p *Proc) putTimespec(va uint64, ns int64) uint64 {
	if va == 0 {
		return efault
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ns/1e9))
	binary.LittleEndian.PutUint64(b[8:], uint64(ns%1e9))
	return p.put(va, b[:])
}

// timespec reads a struct timespec as ns.
func (p *Proc) timespec(va uint64) (int64, bool) {
	var b [16]byte
	if p.Space.CopyIn(b[:], va) != nil {
		return 0, false
	}
	sec, nsec := int64(binary.LittleEndian.Uint64(b[:])), int64(binary.LittleEndian.Uint64(b[8:]))
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return -1, true
	}
	return sec*1e9 + nsec, true
}

func (p *Proc) sysWrite(env Env, fd, buf, n uint64) uint64 {
	if f := p.files[fd]; f != nil && f.kind == fdEventfd && n >= 8 {
		return p.eventfdWrite(f, buf)
	}
	if p.files[fd] != consoleFile {
		return uabi.Errno(uabi.EBADF)
	}
	n = min(n, maxIO)
	b := make([]byte, n)
	if err := p.Space.CopyIn(b, buf); err != nil {
		return efault
	}
	env.Write(b)
	return n
}
