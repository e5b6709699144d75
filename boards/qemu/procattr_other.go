//go:build !linux

package qemu

import "syscall"

// procAttr puts QEMU in its own process group (no parent-death signal
// outside Linux: only our cleanup paths end it).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
