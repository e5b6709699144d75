package uabi

import "strconv"

// SyscallName returns the name of system call nr ("read"), or "sys_<nr>" for
// a number outside the table or in one of its gaps.
func SyscallName(nr uint64) string {
	if nr < NSyscalls && sysNames[nr] != "" {
		return sysNames[nr]
	}
	return "sys_" + strconv.FormatUint(nr, 10)
}

// SyscallNumber returns the number of the system call called name.
func SyscallNumber(name string) (uint64, bool) {
	for nr, n := range sysNames {
		if n == name && n != "" {
			return uint64(nr), true
		}
	}
	return 0, false
}

// Syscalls calls f for every named entry of the table, in number order.
func Syscalls(f func(nr uint64, name string)) {
	for nr, n := range sysNames {
		if n != "" {
			f(uint64(nr), n)
		}
	}
}
