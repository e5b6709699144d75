package sandbox

import (
	"fmt"

	"copslab/sched"
)

// Kernel-syscall coroutines (Scenario.KernelSyscalls). In COPS an async
// system call makes the kernel spawn a coroutine at priority 0 in its own
// executor, return at once, and let that coroutine wait for the device and
// raise the user interrupt. The kernel's work here takes no hart time, so
// the coroutine's transitions happen at the submit and completion instants:
//
//	submit:     Created→Ready (spawn, waker = user coroutine), Ready→Running
//	            (fetch), Running→Blocked (block, Arg = request id)
//	completion: Blocked→Ready (wake, Arg = request id), Ready→Running, then
//	            the io-done and uintr-send markers name it as Waker, and
//	            Running→Exited.

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

// syscallWake wakes and runs the kernel coroutine of a completed request.
func (s *Sim) syscallWake(ctx sched.Ctx, io pending) {
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
