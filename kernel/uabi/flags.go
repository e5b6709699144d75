package uabi

// Special directory descriptor and *at flags, include/uapi/linux/fcntl.h.
const (
	AT_FDCWD            = -100
	AT_SYMLINK_NOFOLLOW = 0x100
	AT_REMOVEDIR        = 0x200
	AT_EMPTY_PATH       = 0x1000
)

// open(2) flags, include/uapi/asm-generic/fcntl.h (riscv64 uses the generic
// values; note O_DIRECTORY/O_NOFOLLOW differ from arm64's).
const (
	O_RDONLY    = 0x0
	O_WRONLY    = 0x1
	O_RDWR      = 0x2
	O_ACCMODE   = 0x3
	O_CREAT     = 0x40
	O_EXCL      = 0x80
	O_NOCTTY    = 0x100
	O_TRUNC     = 0x200
	O_APPEND    = 0x400
	O_NONBLOCK  = 0x800
	O_DSYNC     = 0x1000
	O_DIRECT    = 0x4000
	O_DIRECTORY = 0x10000
	O_NOFOLLOW  = 0x20000
	O_NOATIME   = 0x40000
	O_CLOEXEC   = 0x80000
	O_PATH      = 0x200000
)

// fcntl(2) commands and descriptor flags, include/uapi/asm-generic/fcntl.h
// and include/uapi/linux/fcntl.h (F_DUPFD_CLOEXEC = F_LINUX_SPECIFIC_BASE+6).
const (
	F_DUPFD         = 0
	F_GETFD         = 1
	F_SETFD         = 2
	F_GETFL         = 3
	F_SETFL         = 4
	F_GETLK         = 5
	F_SETLK         = 6
	F_SETLKW        = 7
	F_SETOWN        = 8
	F_GETOWN        = 9
	F_SETSIG        = 10
	F_GETSIG        = 11
	F_DUPFD_CLOEXEC = 1030
	F_GETPIPE_SZ    = 1032
	FD_CLOEXEC      = 1
)

// lseek(2) whence, include/uapi/linux/fs.h.
const (
	SEEK_SET = 0
	SEEK_CUR = 1
	SEEK_END = 2
)

// File type bits of st_mode, include/uapi/linux/stat.h.
const (
	S_IFMT  = 0o170000
	S_IFIFO = 0o010000
	S_IFCHR = 0o020000
	S_IFDIR = 0o040000
	S_IFREG = 0o100000
	S_IFLNK = 0o120000
)

// mmap(2)/mprotect(2) protections and mapping flags,
// include/uapi/asm-generic/mman-common.h and linux/mman.h.
const (
	PROT_NONE  = 0x0
	PROT_READ  = 0x1
	PROT_WRITE = 0x2
	PROT_EXEC  = 0x4

	MAP_SHARED          = 0x01
	MAP_PRIVATE         = 0x02
	MAP_TYPE            = 0x0f
	MAP_FIXED           = 0x10
	MAP_ANONYMOUS       = 0x20
	MAP_GROWSDOWN       = 0x0100
	MAP_DENYWRITE       = 0x0800
	MAP_EXECUTABLE      = 0x1000
	MAP_LOCKED          = 0x2000
	MAP_NORESERVE       = 0x4000
	MAP_POPULATE        = 0x8000
	MAP_NONBLOCK        = 0x10000
	MAP_STACK           = 0x20000
	MAP_HUGETLB         = 0x40000
	MAP_FIXED_NOREPLACE = 0x100000

	// mremap(2) flags, include/uapi/linux/mman.h.
	MREMAP_MAYMOVE = 1
	MREMAP_FIXED   = 2
)

// madvise(2) advice, include/uapi/asm-generic/mman-common.h. The Go runtime
// uses DONTNEED/FREE to return memory and (NO)HUGEPAGE/COLLAPSE as hints.
const (
	MADV_NORMAL     = 0
	MADV_RANDOM     = 1
	MADV_SEQUENTIAL = 2
	MADV_WILLNEED   = 3
	MADV_DONTNEED   = 4
	MADV_FREE       = 8
	MADV_HUGEPAGE   = 14
	MADV_NOHUGEPAGE = 15
	MADV_COLLAPSE   = 25
)

// clone(2) flags, include/uapi/linux/sched.h. The Go runtime starts threads
// with cloneFlags = VM|FS|FILES|SIGHAND|SYSVSEM|THREAD; os/exec starts
// children with CLONE_VFORK|CLONE_VM (plus CLONE_PIDFD when available) and
// exit signal SIGCHLD in the low byte.
const (
	CSIGNAL              = 0x000000ff
	CLONE_VM             = 0x00000100
	CLONE_FS             = 0x00000200
	CLONE_FILES          = 0x00000400
	CLONE_SIGHAND        = 0x00000800
	CLONE_PIDFD          = 0x00001000
	CLONE_PTRACE         = 0x00002000
	CLONE_VFORK          = 0x00004000
	CLONE_PARENT         = 0x00008000
	CLONE_THREAD         = 0x00010000
	CLONE_NEWNS          = 0x00020000
	CLONE_SYSVSEM        = 0x00040000
	CLONE_SETTLS         = 0x00080000
	CLONE_PARENT_SETTID  = 0x00100000
	CLONE_CHILD_CLEARTID = 0x00200000
	CLONE_DETACHED       = 0x00400000
	CLONE_UNTRACED       = 0x00800000
	CLONE_CHILD_SETTID   = 0x01000000
	CLONE_NEWUSER        = 0x10000000
	CLONE_NEWPID         = 0x20000000
)

// futex(2) operations, include/uapi/linux/futex.h. The Go runtime uses
// FUTEX_WAIT_PRIVATE and FUTEX_WAKE_PRIVATE (op | FUTEX_PRIVATE_FLAG).
const (
	FUTEX_WAIT             = 0
	FUTEX_WAKE             = 1
	FUTEX_FD               = 2
	FUTEX_REQUEUE          = 3
	FUTEX_CMP_REQUEUE      = 4
	FUTEX_WAKE_OP          = 5
	FUTEX_LOCK_PI          = 6
	FUTEX_UNLOCK_PI        = 7
	FUTEX_TRYLOCK_PI       = 8
	FUTEX_WAIT_BITSET      = 9
	FUTEX_WAKE_BITSET      = 10
	FUTEX_PRIVATE_FLAG     = 128
	FUTEX_CLOCK_REALTIME   = 256
	FUTEX_CMD_MASK         = ^(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)
	FUTEX_WAIT_PRIVATE     = FUTEX_WAIT | FUTEX_PRIVATE_FLAG
	FUTEX_WAKE_PRIVATE     = FUTEX_WAKE | FUTEX_PRIVATE_FLAG
	FUTEX_BITSET_MATCH_ANY = 0xffffffff
)

// wait4(2)/waitid(2) options, include/uapi/linux/wait.h.
const (
	WNOHANG    = 0x00000001
	WUNTRACED  = 0x00000002
	WEXITED    = 0x00000004
	WCONTINUED = 0x00000008
	WNOWAIT    = 0x01000000
	WALL       = 0x40000000
	WCLONE     = 0x80000000

	P_ALL   = 0
	P_PID   = 1
	P_PGID  = 2
	P_PIDFD = 3
)

// Clock ids, include/uapi/linux/time.h; TIMER_ABSTIME for clock_nanosleep.
const (
	CLOCK_REALTIME           = 0
	CLOCK_MONOTONIC          = 1
	CLOCK_PROCESS_CPUTIME_ID = 2
	CLOCK_THREAD_CPUTIME_ID  = 3
	CLOCK_MONOTONIC_RAW      = 4
	CLOCK_REALTIME_COARSE    = 5
	CLOCK_MONOTONIC_COARSE   = 6
	CLOCK_BOOTTIME           = 7
	TIMER_ABSTIME            = 1
)

// Resource limits for prlimit64(2), include/uapi/asm-generic/resource.h.
// RLIM_INFINITY is all ones.
const (
	RLIMIT_CPU     = 0
	RLIMIT_FSIZE   = 1
	RLIMIT_DATA    = 2
	RLIMIT_STACK   = 3
	RLIMIT_CORE    = 4
	RLIMIT_RSS     = 5
	RLIMIT_NPROC   = 6
	RLIMIT_NOFILE  = 7
	RLIMIT_MEMLOCK = 8
	RLIMIT_AS      = 9
	RLIM_INFINITY  = ^uint64(0)
)

// getrandom(2) flags, include/uapi/linux/random.h.
const (
	GRND_NONBLOCK = 0x1
	GRND_RANDOM   = 0x2
	GRND_INSECURE = 0x4
)

// epoll, include/uapi/linux/eventpoll.h (the Go netpoller).
const (
	EPOLL_CLOEXEC = O_CLOEXEC
	EPOLL_CTL_ADD = 1
	EPOLL_CTL_DEL = 2
	EPOLL_CTL_MOD = 3
	EPOLLIN       = 0x001
	EPOLLOUT      = 0x004
	EPOLLERR      = 0x008
	EPOLLHUP      = 0x010
	EPOLLRDHUP    = 0x2000
	EPOLLONESHOT  = 1 << 30
	EPOLLET       = 1 << 31
)
