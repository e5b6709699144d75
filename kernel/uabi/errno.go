package uabi

// Errno values, include/uapi/asm-generic/errno-base.h (1..34) and
// include/uapi/asm-generic/errno.h (riscv64 uses the generic numbering;
// see errno(3)). A system call returns -errno in a0.
const (
	EPERM        = 1
	ENOENT       = 2
	ESRCH        = 3
	EINTR        = 4
	EIO          = 5
	ENXIO        = 6
	E2BIG        = 7
	ENOEXEC      = 8
	EBADF        = 9
	ECHILD       = 10
	EAGAIN       = 11
	ENOMEM       = 12
	EACCES       = 13
	EFAULT       = 14
	EBUSY        = 16
	EEXIST       = 17
	EXDEV        = 18
	ENODEV       = 19
	ENOTDIR      = 20
	EISDIR       = 21
	EINVAL       = 22
	ENFILE       = 23
	EMFILE       = 24
	ENOTTY       = 25
	EFBIG        = 27
	ENOSPC       = 28
	ESPIPE       = 29
	EROFS        = 30
	EMLINK       = 31
	EPIPE        = 32
	EDOM         = 33
	ERANGE       = 34
	EDEADLK      = 35
	ENAMETOOLONG = 36
	ENOSYS       = 38
	ENOTEMPTY    = 39
	ELOOP        = 40
	ENOTSUP      = 95 // == EOPNOTSUPP on Linux
	EOPNOTSUPP   = 95
	ETIMEDOUT    = 110
)

// MaxErrno bounds the error range of a raw return value: a0 in
// [-MaxErrno, -1] is an error (include/linux/err.h MAX_ERRNO).
const MaxErrno = 4095

// Errno converts a positive errno to the value a system call puts in a0.
func Errno(e int) uint64 { return uint64(-int64(e)) }
