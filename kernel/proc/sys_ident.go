package proc

import (
	"strings"

	"copslab/kernel/uabi"
)

// Who and where a process is: uname, getcwd, the user and group ids and
// the one symbolic link programs read, /proc/self/exe. The kernel has a
// single user (root, uid and gid 0), a working directory per process
// (chdir, fchdir; / at start) and fixed system names; these are the answers Go's os.Hostname, os.Getwd,
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

// getcwd returns the length of the working directory with its NUL, as
// Linux's system call does (the C library's getcwd returns the pointer
// instead).
func (c *call) getcwd() uint64 {
	cwd := c.p.workDir() + "\x00"
	if c.a[1] < uint64(len(cwd)) {
		return uabi.Errno(uabi.ERANGE)
	}
	return orErr(c.p.put(c.a[0], []byte(cwd)), uint64(len(cwd)))
}

// workDir is the working directory, a clean absolute path ("/" at
// start; fork copies it, execve keeps it).
func (p *Proc) workDir() string {
	if p.cwd == "" {
		return "/"
	}
	return p.cwd
}

// chdir(path): relative paths resolve against the working directory;
// the target must be a directory (ENOENT, ENOTDIR otherwise).
func (c *call) chdir() uint64 {
	path, err := c.p.Space.CopyInString(c.a[0], 4096)
	if err != nil {
		return efault
	}
	abs, errno := c.p.resolve(uabi.AT_FDCWD, path)
	if errno != 0 {
		return errno
	}
	return c.p.setWorkDir(abs)
}

// fchdir(fd): the directory open on fd.
func (c *call) fchdir() uint64 {
	f := c.p.files[c.a[0]]
	switch {
	case f == nil:
		return uabi.Errno(uabi.EBADF)
	case f.path == "":
		return uabi.Errno(uabi.ENOTDIR)
	}
	return c.p.setWorkDir(f.path)
}

func (p *Proc) setWorkDir(abs string) uint64 {
	n := p.lookup(abs)
	switch {
	case n == nil:
		return uabi.Errno(uabi.ENOENT)
	case !n.dir:
		return uabi.Errno(uabi.ENOTDIR)
	}
	p.cwd = "/" + strings.Join(splitPath(abs), "/")
	return 0
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
