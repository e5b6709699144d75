package main

import (
	"fmt"

	"copslab/kernel/uabi"
)

// denied lists the calls the fuzzer never makes, by reason. Under qemu-user
// the calls reach the host kernel (often as root), so the list also keeps
// out everything that changes the machine rather than the calling process.
var denied = map[string][]string{
	"would end or replace the fuzzer": {"exit", "exit_group", "kill", "tkill", "tgkill",
		"rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "rt_sigreturn",
		"restart_syscall", "clone", "clone3", "execve", "execveat", "seccomp", "prctl",
		"personality", "setrlimit", "timer_create", "setitimer", "landlock_restrict_self",
		"mseal", "map_shadow_stack", "rseq", "unshare", "setns"},
	"can block forever": {"futex", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue",
		"nanosleep", "clock_nanosleep", "ppoll", "pselect6", "epoll_pwait", "epoll_pwait2",
		"rt_sigsuspend", "rt_sigtimedwait", "io_getevents", "io_pgetevents", "msgrcv",
		"msgsnd", "semop", "semtimedop", "mq_timedsend", "mq_timedreceive", "accept",
		"accept4", "connect", "recvmmsg", "userfaultfd"},
	"changes the machine, not the process": {"reboot", "kexec_load", "kexec_file_load",
		"init_module", "finit_module", "delete_module", "mount", "umount2", "pivot_root",
		"chroot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog", "vhangup",
		"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname",
		"setdomainname", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
		"mount_setattr", "sync", "setpriority", "sched_setscheduler", "sched_setparam",
		"sched_setattr", "ioprio_set", "set_mempolicy", "set_mempolicy_home_node", "mbind",
		"migrate_pages", "move_pages", "lsm_set_self_attr"},
	"reaches other processes or persistent host objects": {"ptrace", "process_vm_readv",
		"process_vm_writev", "process_madvise", "process_mrelease", "pidfd_open",
		"pidfd_getfd", "open_by_handle_at", "socket", "socketpair", "msgget", "msgctl",
		"semget", "semctl", "shmget", "shmctl", "shmat", "shmdt", "mq_open", "mq_unlink",
		"mq_notify", "mq_getsetattr", "add_key", "request_key", "keyctl", "bpf",
		"perf_event_open", "fanotify_init", "fanotify_mark", "io_setup", "io_destroy",
		"io_submit", "io_cancel", "io_uring_setup", "io_uring_enter", "io_uring_register",
		"mlockall", "landlock_create_ruleset", "landlock_add_rule"},
	"modifies files or moves unbounded data": {"mknodat", "mkdirat", "unlinkat", "symlinkat",
		"linkat", "renameat", "renameat2", "fchmodat", "fchmodat2", "fchownat", "utimensat",
		"truncate", "fallocate", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
		"lremovexattr", "fremovexattr", "setxattrat", "removexattrat", "copy_file_range",
		"sendfile", "splice", "tee", "vmsplice", "close_range", "mremap", "remap_file_pages"},
}

// qemuUserDenied are calls that crash qemu-user 7.2 itself (not the guest)
// with random arguments, typically by allocating a host buffer of a
// guest-chosen size on the stack. They are skipped only with -qemu-user.
var qemuUserDenied = []string{"bind", "connect", "sendto", "recvfrom", "sendmsg",
	"recvmsg", "sendmmsg", "getsockname", "getpeername", "setsockopt", "getsockopt"}

// denyQemuUser adds qemuUserDenied to the denylist.
func denyQemuUser() {
	for _, n := range qemuUserDenied {
		nr, _ := uabi.SyscallNumber(n)
		deny[uintptr(nr)] = true
	}
}

// argument roles used by tame.
var (
	deny      = map[uintptr]bool{}
	pathArg   = map[uintptr][]int{} // must point into the names page
	fdArg     = map[uintptr][]int{} // inherited descriptors are replaced
	memArg    = map[uintptr]int{}   // address must lie in the arena or a fuzz mapping
	countArg  = map[uintptr]int{}   // byte count capped at one page
	forceBits = map[uintptr][2]uintptr{}
)

func init() {
	nr := func(name string) uintptr {
		n, ok := uabi.SyscallNumber(name)
		if !ok {
			panic(fmt.Sprintf("sysfuzz policy: unknown system call %q", name))
		}
		return uintptr(n)
	}
	for _, names := range denied {
		for _, n := range names {
			deny[nr(n)] = true
		}
	}
	for name, idx := range map[string][]int{
		"openat": {1}, "openat2": {1}, "faccessat": {1}, "faccessat2": {1}, "newfstatat": {1},
		"statx": {1}, "readlinkat": {1}, "chdir": {0}, "statfs": {0}, "getxattr": {0, 1},
		"lgetxattr": {0, 1}, "fgetxattr": {1}, "listxattr": {0}, "llistxattr": {0},
		"getxattrat": {1, 3}, "listxattrat": {1}, "inotify_add_watch": {1},
		"name_to_handle_at": {1}, "memfd_create": {0}, "statmount": {}, "lookup_dcookie": {},
	} {
		pathArg[nr(name)] = idx
	}
	for name, idx := range map[string][]int{
		"read": {0}, "write": {0}, "readv": {0}, "writev": {0}, "pread64": {0},
		"pwrite64": {0}, "preadv": {0}, "pwritev": {0}, "preadv2": {0}, "pwritev2": {0},
		"close": {0}, "dup": {0}, "dup3": {0, 1}, "fcntl": {0}, "ioctl": {0}, "flock": {0},
		"ftruncate": {0}, "fsync": {0}, "fdatasync": {0}, "sync_file_range": {0},
		"fchmod": {0}, "fchown": {0}, "fchdir": {0}, "lseek": {0}, "getdents64": {0},
		"fstat": {0}, "fstatfs": {0}, "readahead": {0}, "fadvise64": {0}, "syncfs": {0},
		"sendto": {0}, "recvfrom": {0}, "sendmsg": {0}, "recvmsg": {0}, "sendmmsg": {0},
		"shutdown": {0}, "bind": {0}, "listen": {0}, "setsockopt": {0}, "getsockopt": {0},
		"getsockname": {0}, "getpeername": {0}, "epoll_ctl": {0, 2}, "inotify_add_watch": {0},
		"inotify_rm_watch": {0}, "timerfd_settime": {0}, "timerfd_gettime": {0},
		"signalfd4": {0}, "fsetxattr": {0}, "fgetxattr": {0}, "flistxattr": {0},
		"openat": {0}, "openat2": {0}, "faccessat": {0}, "faccessat2": {0},
		"newfstatat": {0}, "statx": {0}, "readlinkat": {0}, "name_to_handle_at": {0},
		"mmap": {4}, "cachestat": {0}, "getxattrat": {0}, "listxattrat": {0}, "kcmp": {},
	} {
		fdArg[nr(name)] = idx
	}
	for _, name := range []string{"munmap", "mprotect", "madvise", "mlock", "munlock",
		"mlock2", "msync", "mincore", "pkey_mprotect"} {
		memArg[nr(name)] = 0
	}
	for name, idx := range map[string]int{"read": 2, "write": 2, "pread64": 2, "pwrite64": 2} {
		countArg[nr(name)] = idx
	}
	// {argument index, bits to set}: descriptors the fuzzer creates are
	// non-blocking, so no later read or write can hang.
	forceBits[nr("pipe2")] = [2]uintptr{1, uabi.O_NONBLOCK}
	forceBits[nr("eventfd2")] = [2]uintptr{1, uabi.O_NONBLOCK}
	forceBits[nr("timerfd_create")] = [2]uintptr{1, uabi.O_NONBLOCK}
	forceBits[nr("signalfd4")] = [2]uintptr{3, uabi.O_NONBLOCK}
	forceBits[nr("inotify_init1")] = [2]uintptr{0, uabi.O_NONBLOCK}
	forceBits[nr("openat")] = [2]uintptr{2, uabi.O_NONBLOCK}
	forceBits[nr("flock")] = [2]uintptr{1, 4} // LOCK_NB
}

// tame makes call nr's arguments safe for the fuzzer (see policy.go's
// tables) and reports whether the call may be made at all.
func (f *fuzzer) tame(nr uintptr, a *[6]uintptr) bool {
	if deny[nr] {
		return false
	}
	for _, i := range pathArg[nr] {
		a[i] = f.name()
	}
	for _, i := range fdArg[nr] {
		if a[i] < f.firstFd || int32(a[i]) == uabi.AT_FDCWD && a[i]>>32 == 0 {
			a[i] = 1<<20 + a[i]%64 // a descriptor that cannot be open
		}
	}
	// Path calls may use the current directory.
	if _, ok := pathArg[nr]; ok && f.rng.IntN(2) == 0 && len(fdArg[nr]) > 0 && fdArg[nr][0] == 0 {
		a[0] = atFDCWD
	}
	if i, ok := countArg[nr]; ok {
		a[i] %= pageSize + 1
	}
	if fb, ok := forceBits[nr]; ok {
		a[fb[0]] |= fb[1]
	}
	if i, ok := memArg[nr]; ok {
		return f.tameMemory(nr, a, i)
	}
	return f.tameSpecial(nr, a)
}

// tameMemory points an address argument at the arena or at a mapping the
// fuzzer made, and caps the length at what remains of it. munmap only
// touches the fuzzer's own mappings.
func (f *fuzzer) tameMemory(nr uintptr, a *[6]uintptr, i int) bool {
	base, size := addr(f.mem.arena), uintptr(arenaSize)
	if len(f.maps) > 0 && (nr == uabi.SYS_MUNMAP || f.rng.IntN(2) == 0) {
		m := f.maps[f.rng.IntN(len(f.maps))]
		base, size = m.addr, (m.size+pageSize-1)&^(pageSize-1)
	} else if nr == uabi.SYS_MUNMAP {
		return false
	}
	off := uintptr(f.rng.Uint64N(uint64(size/pageSize))) * pageSize
	a[i] = base + off
	if a[i+1] > size-off {
		a[i+1] = size - off
	}
	return true
}

// tameSpecial handles calls with one-off rules.
func (f *fuzzer) tameSpecial(nr uintptr, a *[6]uintptr) bool {
	switch nr {
	case uabi.SYS_MMAP:
		a[3] &^= uabi.MAP_FIXED | uabi.MAP_FIXED_NOREPLACE | uabi.MAP_POPULATE | uabi.MAP_LOCKED
	case uabi.SYS_RT_SIGACTION, uabi.SYS_RT_SIGPROCMASK:
		a[1] = 0 // query only: the Go runtime's handlers and mask stay
	case uabi.SYS_SIGALTSTACK:
		a[0] = 0
	case uabi.SYS_PRLIMIT64:
		a[0], a[2] = 0, 0 // own limits, query only
	case uabi.SYS_SCHED_SETAFFINITY:
		a[0] = 0
		a[1] %= 1024 // qemu-user 7.2 allocates a host buffer of this size
	case uabi.SYS_SCHED_GETAFFINITY:
		a[1] %= 1024 // (same)
	case uabi.SYS_FCNTL:
		switch a[1] {
		case uabi.F_DUPFD, uabi.F_GETFD, uabi.F_SETFD, uabi.F_GETFL, uabi.F_DUPFD_CLOEXEC, uabi.F_GETLK, uabi.F_SETLK:
		case uabi.F_SETFL:
			a[2] |= uabi.O_NONBLOCK
		default:
			a[1] = uabi.F_GETFL // no F_SETLKW, F_SETOWN, F_SETSIG, leases, notify
		}
	case uabi.SYS_IOCTL:
		switch uint32(a[1]) {
		case 0x5421, 0x5452, 0x5412: // FIONBIO, FIOASYNC, TIOCSTI
			a[1] = 0x541b // FIONREAD
		}
	}
	return true
}
