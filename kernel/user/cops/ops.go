package cops

import (
	"unsafe"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/sched"
)

// ops are the scheduler operations the executor calls, as func values:
// either the vDSO's machine code (the code word of each func value is
// the address of the exported function: an ordinary Go call, since the
// exports use this toolchain's internal ABI) or, with no copslab vDSO,
// this program's own compiled copy of package sched.
type ops struct {
	spawn   func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)
	fetch   func(*sched.Local, sched.Ctx) (uint32, sched.Errno)
	yield   func(*sched.Local, sched.Ctx, uint32) sched.Errno
	block   func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno
	wake    func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno
	exit    func(*sched.Local, sched.Ctx, uint32) sched.Errno
	setPrio func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno
}

var direct = ops{(*sched.Local).Spawn, (*sched.Local).Fetch,
	(*sched.Local).Yield, (*sched.Local).Block, (*sched.Local).Wake, (*sched.Local).Exit, (*sched.Local).SetPrio}

// Where the scheduler's code comes from (the second half of Source).
const (
	codeVDSO   = "scheduler code in the vDSO"
	codeDirect = "no copslab vDSO: the program's own copy of the scheduler code"
)

// bind makes a func value of type F whose code is at pc.
func bind[F any](pc uintptr) F {
	fv := &struct{ pc uintptr }{pc} // a funcval: its first word is the code
	return *(*F)(unsafe.Pointer(&fv))
}

// vdsoOps returns the vDSO's operations, or the direct ones when the
// process has no vDSO or one without every operation.
func vdsoOps() (ops, string) {
	base, syms, err := auxvdso.Image()
	if err != nil {
		return direct, codeDirect
	}
	ok := true
	pc := func(name string) uintptr {
		v, found := syms["copslab/sched.(*Local)."+name]
		ok = ok && found
		return base + uintptr(v)
	}
	o := ops{
		bind[func(*sched.Local, sched.Ctx, sched.Kind, uint8, uint32) (uint32, sched.Errno)](pc("Spawn")),
		bind[func(*sched.Local, sched.Ctx) (uint32, sched.Errno)](pc("Fetch")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Yield")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint64) sched.Errno](pc("Block")),
		bind[func(*sched.Local, sched.Ctx, uint32, sched.Cause, uint32, uint64) sched.Errno](pc("Wake")),
		bind[func(*sched.Local, sched.Ctx, uint32) sched.Errno](pc("Exit")),
		bind[func(*sched.Local, sched.Ctx, uint32, uint8) sched.Errno](pc("SetPrio")),
	}
	if !ok {
		return direct, codeDirect
	}
	return o, codeVDSO
}
