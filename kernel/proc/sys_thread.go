package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/sched"
	"copslab/sched/executor"
)

// Thread calls: clone (threads only), exit, exit_group, futex, nanosleep,
// sched_yield.

// cloneThread is the flag set a thread needs; Go's runtime passes
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD.
const cloneThread = uabi.CLONE_VM | uabi.CLONE_THREAD | uabi.CLONE_SIGHAND

// MaxThreads bounds the live threads of one process.
const MaxThreads = 1024

// exitThread is exit(status): the thread ends; the last one ends the
// process.
func (c *call) exitThread() uint64 {
	p := c.p
	p.sched.exit(c.t)
	p.removeDead()
	if len(p.Threads) == 0 {
		p.Exit(int(c.a[0]&0xff), "")
	}
	return 0
}

func (c *call) clockNanosleep() uint64 {
	if c.a[1]&1 != 0 { // TIMER_ABSTIME: not needed by Go
		return uabi.Errno(uabi.EINVAL)
	}
	return c.p.sleep(c.t, c.env, c.a[2])
}

func (c *call) getpriority() uint64 {
	if th := c.p.priorityTarget(c.t, c.a[0], c.a[1]); th != nil {
		return uint64(20 - th.Nice) // the raw call returns 20-nice
	}
	return uabi.Errno(uabi.ESRCH)
}

// clone creates a thread sharing the address space: it resumes after the
// ecall with a0 = 0 on stack sp (and tp = tls with CLONE_SETTLS).
func (p *Proc) clone(t *Thread, flags, sp, ptid, tls, ctid uint64) uint64 {
	if flags&cloneThread != cloneThread {
		return p.fork(t, flags)
	}
	if len(p.Threads) >= MaxThreads {
		// Go's riscv64 clone ignores the result in the parent: a runtime
		// told EAGAIN waits forever for a thread that never starts. End
		// the process and say why instead (Linux would give EAGAIN).
		p.Kill("thread limit: clone of thread " + itoa(MaxThreads+1) + " refused (proc.MaxThreads)")
		return uabi.Errno(uabi.EAGAIN)
	}
	c := p.newThread()
	c.TF = t.TF // PC is already past the ecall
	c.TF.X[RegA0] = 0
	if sp != 0 {
		c.TF.X[RegSP] = sp
	}
	if flags&uabi.CLONE_SETTLS != 0 {
		c.TF.X[4] = tls
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(c.TID))
	if flags&uabi.CLONE_PARENT_SETTID != 0 {
		p.put(ptid, b[:])
	}
	if flags&uabi.CLONE_CHILD_SETTID != 0 {
		p.put(ctid, b[:])
	}
	return uint64(c.TID)
}

// Futex operations (linux/futex.h).
const (
	futexWait    = 0
	futexWake    = 1
	futexPrivate = 128
)

func (p *Proc) futex(t *Thread, env Env, addr, op, val, ts uint64) uint64 {
	if addr%4 != 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	switch op &^ futexPrivate {
	case futexWait:
		var b [4]byte
		if p.Space.CopyIn(b[:], addr) != nil {
			return efault
		}
		if binary.LittleEndian.Uint32(b[:]) != uint32(val) {
			return uabi.Errno(uabi.EAGAIN)
		}
		deadline := int64(0)
		if ts != 0 {
			ns, ok := p.timespec(ts)
			if !ok {
				return efault
			}
			if ns < 0 {
				return uabi.Errno(uabi.EINVAL)
			}
			deadline = env.Now() + max(ns, 1)
		}
		q := p.futexq[addr]
		if q == nil {
			if p.futexq == nil {
				p.futexq = map[uint64]*WaitQ{}
			}
			q = &WaitQ{}
			p.futexq[addr] = q
		}
		p.sched.Block(t, q, WaitFutex, deadline, timedOut)
		t.execWait = p.execSleep(addr)
		return 0
	case futexWake:
		return uint64(p.futexWake(addr, int(int32(val))))
	}
	return uabi.Errno(uabi.ENOSYS)
}

func (p *Proc) sleep(t *Thread, env Env, ts uint64) uint64 {
	ns, ok := p.timespec(ts)
	if !ok {
		return efault
	}
	if ns < 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	p.sched.Block(t, nil, WaitSleep, env.Now()+max(ns, 1), 0)
	return 0
}

// futexWake wakes up to n threads waiting on addr; it returns how many.
func (p *Proc) futexWake(addr uint64, n int) int { return p.futexWakeCause(addr, n, sched.CauseWake) }

// futexWakeCause is futexWake with the cause the trace shows.
func (p *Proc) futexWakeCause(addr uint64, n int, cause sched.Cause) int {
	q := p.futexq[addr]
	if q == nil {
		return 0
	}
	woken := 0
	for woken < n && p.sched.WakeOne(q, cause, 0) != nil {
		woken++
	}
	if q.Empty() {
		delete(p.futexq, addr)
	}
	return woken
}

// prioProcess is setpriority's PRIO_PROCESS: who is a thread id (0: the
// caller), as on Linux, where it names one thread.
const prioProcess = 0

func (p *Proc) priorityTarget(t *Thread, which, who uint64) *Thread {
	if which != prioProcess {
		return nil
	}
	if who == 0 {
		return t
	}
	for _, th := range p.Threads {
		if uint64(th.TID) == who {
			return th
		}
	}
	return nil
}

// setpriority sets a thread's nice value, clamped to [-20, 19].
func (p *Proc) setpriority(t *Thread, which, who uint64, nice int64) uint64 {
	if which != prioProcess {
		return uabi.Errno(uabi.EINVAL)
	}
	th := p.priorityTarget(t, which, who)
	if th == nil {
		return uabi.Errno(uabi.ESRCH)
	}
	p.sched.setNice(th, int(min(max(nice, -20), 19)))
	return 0
}

// sysSchedYield: the run loop decides after every trap; a yield makes
// that decision hand the hart to an equal waiting process, as a tick does.
func sysSchedYield(c *call) uint64 {
	if c.p.sched != nil {
		c.p.sched.why = executor.Tick
	}
	return 0
}
