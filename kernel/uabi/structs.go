package uabi

// Byte layouts of the structures the kernel reads from or writes to user
// memory for the system calls Go programs make (all little endian, LP64).
// Offsets are in bytes; the test checks them against the riscv64 types of
// $GOROOT/src/syscall/ztypes_linux_riscv64.go.

// struct stat, include/uapi/asm-generic/stat.h (fstat, newfstatat).
const (
	StatDev       = 0  // uint64
	StatIno       = 8  // uint64
	StatMode      = 16 // uint32
	StatNlink     = 20 // uint32
	StatUID       = 24 // uint32
	StatGID       = 28 // uint32
	StatRdev      = 32 // uint64
	StatSize      = 48 // int64
	StatBlksize   = 56 // int32
	StatBlocks    = 64 // int64
	StatAtime     = 72 // timespec
	StatMtime     = 88 // timespec
	StatCtime     = 104
	StatSizeBytes = 128
)

// struct timespec / timeval, include/uapi/linux/time_types.h (64-bit).
const (
	TimespecSec    = 0
	TimespecNsec   = 8
	TimespecSize   = 16
	TimevalSize    = 16
	RlimitCur      = 0 // struct rlimit64 (prlimit64)
	RlimitMax      = 8
	RlimitSize     = 16
	IovecBase      = 0 // struct iovec (readv/writev)
	IovecLen       = 8
	IovecSize      = 16
	EpollEvents    = 0 // struct epoll_event: riscv64 is not packed
	EpollData      = 8 // the 64-bit user data (Go puts a pointer there)
	EpollSize      = 16
	PollfdSize     = 8  // struct pollfd: fd int32, events int16, revents int16
	Dirent64Ino    = 0  // struct linux_dirent64 (getdents64): uint64
	Dirent64Off    = 8  // int64
	Dirent64Reclen = 16 // uint16, record length, 8-byte aligned
	Dirent64Type   = 18 // uint8, DT_*
	Dirent64Name   = 19 // NUL-terminated name
)

// d_type values, include/linux/fs_types.h (DT_*).
const (
	DT_UNKNOWN = 0
	DT_FIFO    = 1
	DT_CHR     = 2
	DT_DIR     = 4
	DT_REG     = 8
	DT_LNK     = 10
)
