// Package schedops binds the scheduler's operations on a sched.Local as
// Go func values: the vDSO's machine code (found through its dynamic
// symbols) or the program's own compiled copy of package sched. For
// package cops and the vdsosched test program.
package schedops

import (
	"fmt"
	"unsafe"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/sched"
)

// Ops are the Local's operations as func values. A call through one
// whose code word is the vDSO's address is an ordinary Go call: the
// exports use this very toolchain's internal ABI.
type Ops struct {
	TryLock func(*sched.Local, uint32) bool
	Unlock  func(*sched.Local, uint32) sched.Errno
	Spawn   func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)
	Fetch   func(*sched.Local, sched.Ctx) (uint32, sched.Errno)
	Yield   func(*sched.Local, sched.Ctx, uint32) sched.Errno
	Block   func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno
	Wake    func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno
	Exit    func(*sched.Local, sched.Ctx, uint32) sched.Errno
	SetPrio func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno
	Switch  func(*sched.Local, sched.Ctx, uint32) (uint32, sched.Errno)
}

// Direct are the program's own compiled operations.
var Direct = Ops{(*sched.Local).TryLock, (*sched.Local).Unlock, (*sched.Local).Spawn, (*sched.Local).Fetch,
	(*sched.Local).Yield, (*sched.Local).Block, (*sched.Local).Wake, (*sched.Local).Exit, (*sched.Local).SetPrio,
	(*sched.Local).Switch}

// bind makes a func value of type F whose code is at pc.
func bind[F any](pc uintptr) F {
	fv := &struct{ pc uintptr }{pc} // a funcval: its first word is the code
	return *(*F)(unsafe.Pointer(&fv))
}

// VDSO returns the operations of the vDSO the kernel mapped, its address
// and how many symbols it exports; an error if there is no vDSO or it
// lacks one of the operations (Linux's, or one without the scheduler).
func VDSO() (o Ops, base uintptr, exports int, err error) {
	base, syms, err := auxvdso.Image()
	if err != nil {
		return o, 0, 0, err
	}
	var missing []string
	pc := func(name string) uintptr {
		v, ok := syms["copslab/sched.(*Local)."+name]
		if !ok {
			missing = append(missing, name)
		}
		return base + uintptr(v)
	}
	o = Ops{
		bind[func(*sched.Local, uint32) bool](pc("TryLock")),
		bind[func(*sched.Local, uint32) sched.Errno](pc("Unlock")),
		bind[func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)](pc("Spawn")),
		bind[func(*sched.Local, sched.Ctx) (uint32, sched.Errno)](pc("Fetch")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Yield")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno](pc("Block")),
		bind[func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno](pc("Wake")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Exit")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno](pc("SetPrio")),
		bind[func(*sched.Local, sched.Ctx, uint32) (uint32, sched.Errno)](pc("Switch")),
	}
	if missing != nil {
		return o, base, len(syms), fmt.Errorf("the vDSO does not export %v", missing)
	}
	return o, base, len(syms), nil
}
