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
	// blocking; eof reports an end-of-file mark (Ctrl-D) instead. An
	// empty b takes nothing (it starts the kernel's input, for epoll).
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

// call is one system call being served: the process, the calling
// thread, the machine and the six argument registers.
type call struct {
	p   *Proc
	t   *Thread
	env Env
	a   []uint64
}

// Syscall serves the ecall in t.TF: number in a7, arguments in a0..a5,
// result (or -errno) in a0, pc moved past the ecall. A call that blocks
// leaves t blocked; its result is set when it wakes (or the call runs
// again, see sched.go).
func (p *Proc) Syscall(t *Thread, env Env) {
	tf := &t.TF
	nr := tf.X[RegA7]
	p.Syscalls++
	tf.PC += 4
	c := call{p, t, env, tf.X[RegA0 : RegA0+6]}
	var r uint64
	if h := handler(nr); h != nil {
		r = h(&c)
	} else {
		p.Unknown[nr]++
		r = uabi.Errno(uabi.ENOSYS)
	}
	if t.state != sched.Blocked { // (rt_sigreturn's result is the restored a0)
		tf.X[RegA0] = r
	} else if p.uintr != nil && !t.kernel {
		p.kick() // an interrupt is pending and this was its last thread able to take it (uintr.go)
	}
}

// handler is the function serving system call nr, or nil.
func handler(nr uint64) func(*call) uint64 {
	if nr < uint64(len(table)) {
		return table[nr]
	}
	return nil
}

// table is syscalls as handler reads it, set in init. A call's work may
// make system calls itself (an async call's first step, the
// kernel-syscall coroutine's run), so the table's entries reach handler
// and through it the table again: Go's initialisation order allows that
// loop only through a variable without an initialiser.
var table []func(*call) uint64

func init() { table = syscalls[:] }

// syscalls is the system-call table: one line per call served, in
// number order within each group; a missing entry is ENOSYS. The work
// lives in the file of each concept (fd.go, fs.go, epoll.go, mmap.go,
// sys_thread.go, fork.go, signal.go, or below).
var syscalls = [...]func(*call) uint64{
	// Files: read and write dispatch on the file's kind (file.go).
	uabi.SYS_READ:       (*call).read,
	uabi.SYS_WRITE:      (*call).write,
	uabi.SYS_PREAD64:    (*call).pread,
	uabi.SYS_OPENAT:     func(c *call) uint64 { return c.p.openat(int64(int32(c.a[0])), c.a[1], c.a[2], c.a[3]) },
	uabi.SYS_PWRITE64:   (*call).pwrite,
	uabi.SYS_MKDIRAT:    (*call).mkdirat,
	uabi.SYS_UNLINKAT:   (*call).unlinkat,
	uabi.SYS_RENAMEAT2:  (*call).renameat2,
	uabi.SYS_FTRUNCATE:  (*call).ftruncate,
	uabi.SYS_READLINKAT: (*call).readlinkat,
	uabi.SYS_GETCWD:     (*call).getcwd,
	uabi.SYS_CHDIR:      (*call).chdir,
	uabi.SYS_FCHDIR:     (*call).fchdir,
	uabi.SYS_CLOSE:      func(c *call) uint64 { return c.p.closeCall(c.a[0]) },
	uabi.SYS_PIPE2:      func(c *call) uint64 { return c.p.pipe2(c.a[0], c.a[1]) },
	uabi.SYS_DUP:        func(c *call) uint64 { return c.p.dup(c.a[0]) },
	uabi.SYS_DUP3:       func(c *call) uint64 { return c.p.dup3(c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_FCNTL:      func(c *call) uint64 { return c.p.fcntl(c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_LSEEK:      func(c *call) uint64 { return c.p.lseek(c.a[0], int64(c.a[1]), c.a[2]) },
	uabi.SYS_GETDENTS64: func(c *call) uint64 { return c.p.getdents(c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_FSTAT:      (*call).fstat,
	uabi.SYS_NEWFSTATAT: func(c *call) uint64 { return c.p.fstatat(int64(int32(c.a[0])), c.a[1], c.a[2], c.a[3]) },

	// The poller (epoll.go).
	uabi.SYS_EPOLL_CREATE1: func(c *call) uint64 { return c.p.newFD(newEpoll()) },
	uabi.SYS_EVENTFD2:      func(c *call) uint64 { return c.p.newFD(&file{ops: eventfdOps{}, counter: c.a[0]}) },
	uabi.SYS_EPOLL_CTL:     func(c *call) uint64 { return c.p.epollCtl(c.env, c.a[0], c.a[1], c.a[2], c.a[3]) },
	uabi.SYS_EPOLL_PWAIT: func(c *call) uint64 {
		return c.p.epollWait(c.t, c.env, c.a[0], c.a[1], c.a[2], int64(int32(c.a[3])))
	},

	// Memory (mmap.go, space.go).
	uabi.SYS_MMAP:     func(c *call) uint64 { return c.p.Space.Mmap(c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]) },
	uabi.SYS_MUNMAP:   func(c *call) uint64 { return c.p.Space.Munmap(c.a[0], c.a[1]) },
	uabi.SYS_MPROTECT: func(c *call) uint64 { return c.p.Space.Mprotect(c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_MADVISE:  (*call).madvise,
	uabi.SYS_BRK:      func(c *call) uint64 { return c.p.brk(c.a[0]) },

	// Threads and time (sys_thread.go).
	uabi.SYS_CLONE:           func(c *call) uint64 { return c.p.clone(c.t, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]) },
	uabi.SYS_EXIT:            (*call).exitThread,
	uabi.SYS_EXIT_GROUP:      func(c *call) uint64 { c.p.Exit(int(c.a[0]&0xff), ""); return 0 },
	uabi.SYS_FUTEX:           func(c *call) uint64 { return c.p.futex(c.t, c.env, c.a[0], c.a[1], c.a[2], c.a[3]) },
	uabi.SYS_NANOSLEEP:       func(c *call) uint64 { return c.p.sleep(c.t, c.env, c.a[0]) },
	uabi.SYS_CLOCK_NANOSLEEP: (*call).clockNanosleep,
	uabi.SYS_SETPRIORITY:     func(c *call) uint64 { return c.p.setpriority(c.t, c.a[0], c.a[1], int64(int32(c.a[2]))) },
	uabi.SYS_GETPRIORITY:     (*call).getpriority,
	uabi.SYS_SCHED_YIELD:     sysSchedYield,

	// Processes (fork.go).
	uabi.SYS_EXECVE:  func(c *call) uint64 { return c.p.execve(c.t, c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_WAIT4:   func(c *call) uint64 { return c.p.wait4(c.t, int64(int32(c.a[0])), c.a[1], c.a[2], c.a[3]) },
	uabi.SYS_WAITID:  func(c *call) uint64 { return c.p.waitid(c.t, c.a[0], int64(int32(c.a[1])), c.a[2], c.a[3]) },
	uabi.SYS_GETPPID: (*call).getppid,

	// Signals (signal.go).
	uabi.SYS_RT_SIGACTION:   func(c *call) uint64 { return c.p.sigaction(c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_RT_SIGPROCMASK: func(c *call) uint64 { return c.p.sigprocmask(c.t, c.a[0], c.a[1], c.a[2]) },
	uabi.SYS_SIGALTSTACK:    func(c *call) uint64 { return c.p.sigaltstack(c.t, c.a[0], c.a[1]) },
	uabi.SYS_RT_SIGRETURN:   func(c *call) uint64 { c.p.sigreturn(c.t); return c.t.TF.X[RegA0] },
	uabi.SYS_TGKILL:         func(c *call) uint64 { return c.p.signalThread(c.a[1], c.a[2]) },
	uabi.SYS_TKILL:          func(c *call) uint64 { return c.p.signalThread(c.a[0], c.a[1]) },
	uabi.SYS_KILL:           (*call).kill,

	// Identity, time, limits, randomness (below).
	uabi.SYS_GETPID:            func(c *call) uint64 { return uint64(c.p.PID) },
	uabi.SYS_GETTID:            func(c *call) uint64 { return uint64(c.t.TID) },
	uabi.SYS_SET_TID_ADDRESS:   func(c *call) uint64 { return uint64(c.t.TID) },
	uabi.SYS_CLOCK_GETTIME:     (*call).clockGettime,
	uabi.SYS_GETTIMEOFDAY:      (*call).gettimeofday,
	uabi.SYS_PRLIMIT64:         (*call).prlimit,
	uabi.SYS_PRCTL:             (*call).prctl,
	uabi.SYS_SCHED_GETAFFINITY: (*call).schedGetaffinity,
	uabi.SYS_GETRANDOM:         (*call).getrandom,
	uabi.SYS_UNAME:             (*call).uname,
	uabi.SYS_GETUID:            func(*call) uint64 { return 0 }, // one user: root (sys_ident.go)
	uabi.SYS_GETEUID:           func(*call) uint64 { return 0 },
	uabi.SYS_GETGID:            func(*call) uint64 { return 0 },
	uabi.SYS_GETEGID:           func(*call) uint64 { return 0 },

	// User-space interrupts and async calls (uintr.go).
	uabi.NR_COPS_UINTR_REGISTER: (*call).uintrRegister,
	uabi.NR_COPS_UINTR_GRANT:    (*call).uintrGrant,
	uabi.NR_COPS_UINTR_SEND:     (*call).uintrSend,
	uabi.NR_COPS_UIRET:          (*call).uiret,
	uabi.NR_COPS_ASYNC:          (*call).async,
}

func (c *call) madvise() uint64 {
	if c.a[2] == uabi.MADV_DONTNEED {
		return c.p.Space.DontNeed(c.a[0], c.a[1])
	}
	return 0
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

func (c *call) prlimit() uint64 {
	if c.a[3] != 0 { // old limits: unlimited, as the kernel enforces none
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], ^uint64(0))
		binary.LittleEndian.PutUint64(b[8:], ^uint64(0))
		if c.p.put(c.a[3], b[:]) != 0 {
			return efault
		}
	}
	return 0
}

func (c *call) prctl() uint64 {
	if c.a[0] == prSetVMA {
		return 0 // naming mappings: accepted, not recorded
	}
	if r, ok := c.timerSlack(); ok {
		return r
	}
	return uabi.Errno(uabi.EINVAL)
}

func (c *call) clockGettime() uint64 {
	ns := c.env.Now()
	if c.a[0] == 0 { // CLOCK_REALTIME
		ns = c.env.Wall()
	}
	return c.p.putTimespec(c.a[1], ns)
}

func (c *call) gettimeofday() uint64 {
	ns := c.env.Wall()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ns/1e9))
	binary.LittleEndian.PutUint64(b[8:], uint64(ns%1e9/1e3))
	return c.p.put(c.a[0], b[:])
}

func (c *call) schedGetaffinity() uint64 {
	if c.a[1] < 8 {
		return uabi.Errno(uabi.EINVAL)
	}
	var b [8]byte
	b[0] = 1 // one CPU
	return orErr(c.p.put(c.a[2], b[:]), 8)
}

func (c *call) getrandom() uint64 {
	b := make([]byte, min(c.a[1], maxIO))
	c.env.Random(b)
	return orErr(c.p.put(c.a[0], b), uint64(len(b)))
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
