package proc

import "copslab/kernel/uabi"

// Who and where a process is: uname, getcwd, the user and group ids and
// the one symbolic link programs read, /proc/self/exe. The kernel has a
// single user (root, uid and gid 0), one working directory (/) and
// fixed system names; these are the answers Go's os.Hostname, os.Getwd,
// os.Getuid…, os.Executable and user.Current expect from Linux.

// utsFields are uname's six 65-byte fields: sysname, nodename, release,
// version, machine, domainname. The release is a real Linux version
// number: Go's runtime and syscall packages parse it to decide which
// calls to try.
var utsFields = [6]string{"Linux", "copslab", "6.1.0-copslab", "#1 copslab", "riscv64", "(none)"}

const utsLen = 65

func (c *call) uname() uint64 {
	if c.a[0] == 0 {
		return efault
	}
	var b [6 * utsLen]byte
	for i, f := range utsFields {
		copy(b[i*utsLen:(i+1)*utsLen-1], f)
	}
	return c.p.put(c.a[0], b[:])
}

// getcwd returns the length of "/" with its NUL, as Linux's system call
// does (the C library's getcwd returns the pointer instead).
func (c *call) getcwd() uint64 {
	const cwd = "/\x00"
	if c.a[1] < uint64(len(cwd)) {
		return uabi.Errno(uabi.ERANGE)
	}
	return orErr(c.p.put(c.a[0], []byte(cwd)), uint64(len(cwd)))
}

// readlinkat knows one link: /proc/self/exe (and /proc/PID/exe of the
// caller), the path the program was started as.
func (c *call) readlinkat() uint64 {
	path, err := c.p.Space.CopyInString(c.a[1], 4096)
	if err != nil {
		return efault
	}
	if path != "/proc/self/exe" && path != "/proc/"+itoa(c.p.PID)+"/exe" {
		if c.p.lookup(path) != nil {
			return uabi.Errno(uabi.EINVAL) // exists, not a link
		}
		return uabi.Errno(uabi.ENOENT)
	}
	exe := "/bin/" + c.p.Name
	if c.a[3] == 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	n := min(uint64(len(exe)), c.a[3])
	return orErr(c.p.put(c.a[2], []byte(exe[:n])), n)
}
