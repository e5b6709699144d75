package sandbox

import (
	"fmt"

	"copslab/sched"
)

// Kernel-syscall coroutines (Scenario.KernelSyscalls). In COPS an async
// system call makes the kernel spawn a coroutine at priority 0 in its own
// executor, return at once, and let that coroutine wait for the device and
// raise the user interrupt. The kernel's work here takes no hart time; the
// coroutine's transitions happen at the submit instant and at the end of
// the kernel's completion work (Uintr.KernelNS after the device's io-done,
// whose marker already names the coroutine as Waker):
//
//	submit:     Created→Ready (spawn, waker = user coroutine), Ready→Running
//	            (fetch), Running→Blocked (block, Arg = request id)
//	kernel end: Blocked→Ready (wake, Arg = request id), Ready→Running
//	            (fetch), the uintr-send marker names it as Waker,
//	            Running→Exited.
//
// So the kernel process never holds a ready coroutine between instants,
// and each Fetch finds exactly the coroutine it expects.

// syscallStart spawns the kernel coroutine serving req and returns its id
// (NoCo when the feature is off or the process runs threads).
func (s *Sim) syscallStart(ctx sched.Ctx, user *coro, req uint64) uint32 {
	if !s.sc.KernelSyscalls || user.p.spec.Mode != ModeCoroutines {
		return sched.NoCo
	}
	id, e := s.reg.Spawn(ctx, 0, sched.KindKernelSyscall, 0, user.id)
	if !s.check(e, "spawn syscall coroutine") {
		return sched.NoCo
	}
	s.kcos[id] = fmt.Sprintf("sys-read#%d", req)
	if got, e := s.reg.Fetch(ctx, 0); !s.check(e, "fetch syscall coroutine") || got != id {
		s.fail(fmt.Errorf("sandbox: kernel fetched %#x, expected syscall coroutine %#x", got, id))
		return sched.NoCo
	}
	s.check(s.reg.Block(ctx, id, req), "block syscall coroutine")
	return id
}

// syscallRun wakes and runs the kernel coroutine of a request whose
// completion work ends now.
func (s *Sim) syscallRun(ctx sched.Ctx, io pending) {
	if io.kco == sched.NoCo {
		return
	}
	s.check(s.reg.Wake(ctx, io.kco, sched.CauseWake, sched.NoWaker, io.req), "wake syscall coroutine")
	if got, e := s.reg.Fetch(ctx, 0); s.check(e, "fetch syscall coroutine") && got != io.kco {
		s.fail(fmt.Errorf("sandbox: kernel fetched %#x, expected syscall coroutine %#x", got, io.kco))
	}
}

// syscallExit ends the kernel coroutine after it raised the interrupt.
func (s *Sim) syscallExit(ctx sched.Ctx, io pending) {
	if io.kco != sched.NoCo {
		s.check(s.reg.Exit(ctx, io.kco), "exit syscall coroutine")
	}
}
