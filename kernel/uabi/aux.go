package uabi

// Auxiliary vector keys, include/uapi/linux/auxvec.h (getauxval(3)). The Go
// runtime needs AT_PAGESZ (it throws without it) and AT_RANDOM (16 bytes of
// seed); it uses AT_SYSINFO_EHDR for the vDSO when present and AT_HWCAP for
// CPU features; AT_PHDR/AT_PHNUM/AT_PHENT/AT_ENTRY describe the executable.
const (
	AT_NULL          = 0
	AT_IGNORE        = 1
	AT_EXECFD        = 2
	AT_PHDR          = 3
	AT_PHENT         = 4
	AT_PHNUM         = 5
	AT_PAGESZ        = 6
	AT_BASE          = 7
	AT_FLAGS         = 8
	AT_ENTRY         = 9
	AT_NOTELF        = 10
	AT_UID           = 11
	AT_EUID          = 12
	AT_GID           = 13
	AT_EGID          = 14
	AT_PLATFORM      = 15
	AT_HWCAP         = 16
	AT_CLKTCK        = 17
	AT_SECURE        = 23
	AT_BASE_PLATFORM = 24
	AT_RANDOM        = 25
	AT_HWCAP2        = 26
	AT_EXECFN        = 31
	AT_SYSINFO_EHDR  = 33
	AT_MINSIGSTKSZ   = 51
)

// Utsname field size for uname(2), include/uapi/linux/utsname.h: six fields
// (sysname, nodename, release, version, machine, domainname) of 65 bytes.
const (
	UtsLen      = 65
	UtsnameSize = 6 * UtsLen
)
