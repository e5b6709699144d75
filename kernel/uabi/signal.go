package uabi

// Signal numbers, include/uapi/asm-generic/signal.h (signal(7)). Real-time
// signals run from SIGRTMIN to SIGRTMAX; the kernel's sigset_t is 64 bits,
// bit n-1 for signal n. The Go runtime preempts goroutines with SIGURG and
// turns SIGSEGV/SIGBUS/SIGFPE from its own code into panics.
const (
	SIGHUP    = 1
	SIGINT    = 2
	SIGQUIT   = 3
	SIGILL    = 4
	SIGTRAP   = 5
	SIGABRT   = 6
	SIGBUS    = 7
	SIGFPE    = 8
	SIGKILL   = 9
	SIGUSR1   = 10
	SIGSEGV   = 11
	SIGUSR2   = 12
	SIGPIPE   = 13
	SIGALRM   = 14
	SIGTERM   = 15
	SIGSTKFLT = 16
	SIGCHLD   = 17
	SIGCONT   = 18
	SIGSTOP   = 19
	SIGTSTP   = 20
	SIGTTIN   = 21
	SIGTTOU   = 22
	SIGURG    = 23
	SIGXCPU   = 24
	SIGXFSZ   = 25
	SIGVTALRM = 26
	SIGPROF   = 27
	SIGWINCH  = 28
	SIGIO     = 29
	SIGPWR    = 30
	SIGSYS    = 31
	SIGRTMIN  = 32
	SIGRTMAX  = 64
	NSIG      = 64

	// SigsetSize is the sigsetsize argument rt_sig* calls must pass.
	SigsetSize = 8
)

// SigBit returns sig's bit in a kernel sigset_t.
func SigBit(sig int) uint64 { return 1 << (sig - 1) }

// sigaction flags, include/uapi/asm-generic/signal-defs.h and
// asm-generic/signal.h. riscv64 has no SA_RESTORER: the kernel returns from
// a handler through the vDSO's rt_sigreturn trampoline, whose address it
// puts in ra.
const (
	SA_NOCLDSTOP = 0x00000001
	SA_NOCLDWAIT = 0x00000002
	SA_SIGINFO   = 0x00000004
	SA_ONSTACK   = 0x08000000
	SA_RESTART   = 0x10000000
	SA_NODEFER   = 0x40000000
	SA_RESETHAND = 0x80000000

	SIG_DFL = 0
	SIG_IGN = 1
)

// rt_sigprocmask(2) how, include/uapi/asm-generic/signal-defs.h.
const (
	SIG_BLOCK   = 0
	SIG_UNBLOCK = 1
	SIG_SETMASK = 2
)

// sigaltstack(2) flags and sizes, include/uapi/linux/signal.h and
// asm-generic/signal.h.
const (
	SS_ONSTACK  = 1
	SS_DISABLE  = 2
	MINSIGSTKSZ = 2048
	SIGSTKSZ    = 8192
)

// si_code values, include/uapi/asm-generic/siginfo.h. A fault the kernel
// reports must carry SEGV_MAPERR/SEGV_ACCERR (not SI_USER), or the Go
// runtime treats the signal as sent by kill and does not panic.
const (
	SI_USER     = 0
	SI_KERNEL   = 0x80
	SI_TKILL    = -6
	SEGV_MAPERR = 1
	SEGV_ACCERR = 2
	BUS_ADRALN  = 1
	BUS_ADRERR  = 2
	ILL_ILLOPC  = 1
	FPE_INTDIV  = 1
	CLD_EXITED  = 1
	CLD_KILLED  = 2
	CLD_DUMPED  = 3
)
