package cops

import (
	"fmt"
	"sync/atomic"
	"syscall"
	"unsafe"

	"copslab/kernel/uabi"
	"copslab/kernel/user/internal/auxvdso"
	"copslab/sched"
)

// ownProc is the process slot written into a Local kept in the program's
// own memory (no kernel slot is known; ids just need to be consistent).
const ownProc = 1

// kernelLocal returns the address the kernel passed under AT_COPS_LOCAL
// (0: none). A variable so tests can stand in for the kernel.
var kernelLocal = func() uintptr { return auxvdso.Aux(uabi.AT_COPS_LOCAL) }

// kernelLocalBusy is set while an executor owns the kernel's Local: the
// process has one, and two executors on it would take each other's
// coroutines. Run gives it back when no coroutine is left.
var kernelLocalBusy atomic.Bool

// findLocal returns the process's Local and says where it is: the one
// the kernel mapped (AT_COPS_LOCAL, formatted by the kernel), or else a
// fresh one in two pages of the program's own memory. shared reports
// the kernel's.
func findLocal() (l *sched.Local, where string, shared bool, err error) {
	if addr := kernelLocal(); addr != 0 {
		l = (*sched.Local)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))) // kernel memory, outside Go's heap
		if l.Magic != sched.LocalMagic || l.Version != sched.RegionVersion {
			return nil, "", false, fmt.Errorf("cops: the Local at %#x (AT_COPS_LOCAL) has magic %#x version %d, want %#x version %d",
				addr, l.Magic, l.Version, sched.LocalMagic, sched.RegionVersion)
		}
		if !kernelLocalBusy.CompareAndSwap(false, true) {
			return nil, "", false, fmt.Errorf("cops: the process's Local (at %#x) already has an executor", addr)
		}
		return l, fmt.Sprintf("Local mapped by the kernel at %#x", addr), true, nil
	}
	mem, err := syscall.Mmap(-1, 0, sched.LocalSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, "", false, fmt.Errorf("cops: no Local from the kernel and none of our own: mmap: %w", err)
	}
	l = (*sched.Local)(unsafe.Pointer(&mem[0]))
	l.Init(ownProc)
	return l, "Local in the program's own memory (the kernel maps none: it cannot see these priorities)", false, nil
}
