package qemu

import "syscall"

// procAttr puts QEMU in its own process group and has the kernel kill it
// when the process that started it ends — also by SIGKILL or a crash,
// where no cleanup of ours runs.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
