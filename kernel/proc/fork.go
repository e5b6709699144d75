package proc

import (
	"encoding/binary"
	"errors"

	"copslab/kernel/uabi"
	"copslab/kernel/ustack"
	"copslab/kernel/vm"
	"copslab/sched"
)

// Process calls: clone of a process (vfork style), execve, wait4,
// waitid, getppid, and kill of another process.
//
// Go's os/exec (syscall.forkAndExecInChild1) creates the child with
// clone(CLONE_VM|CLONE_VFORK|SIGCHLD, stack 0): the child runs on the
// parent's stack in the parent's address space until it calls execve
// (or exits), and the parent is suspended until then. Here the child is
// a new Proc that borrows the parent's Space (its Release does not free
// it) and gets a copy of the descriptor table; the calling parent thread
// waits in the child's vfork queue until the child has replaced its
// image or ended, then returns the child's pid. execve builds the new image in a fresh
// Space and only then drops the old one, so a failing execve (no such
// program, bad pointer) returns an error to the caller as on Linux.
// Plain fork (no CLONE_VM) copies the address space (Space.Clone) and
// the parent continues at once; CLONE_VM without CLONE_VFORK or
// CLONE_THREAD (two processes on one stack) is refused with ENOSYS.

// maxArgs bounds execve's argv and envp.
const maxArgs = 1024

// CLD_EXITED and CLD_KILLED are waitid's si_code values.
const (
	cldExited = 1
	cldKilled = 2
)

func (c *call) getppid() uint64 {
	if c.p.Parent != nil {
		return uint64(c.p.Parent.PID)
	}
	return 0
}

// fork creates a vfork or fork child (see above).
func (p *Proc) fork(t *Thread, flags uint64) uint64 {
	const vfork = uabi.CLONE_VM | uabi.CLONE_VFORK
	copyMem := flags&uabi.CLONE_VM == 0
	if p.sys == nil || !copyMem && flags&vfork != vfork || flags&uabi.CLONE_THREAD != 0 {
		return uabi.Errno(uabi.ENOSYS)
	}
	need := 8 // a vfork child's tables and descriptors
	if copyMem {
		need = p.Space.Pages()
	}
	if p.sys.short(need) {
		return uabi.Errno(uabi.ENOMEM)
	}
	space := p.Space
	if copyMem {
		s, err := p.Space.Clone()
		if err != nil {
			return uabi.Errno(uabi.ENOMEM)
		}
		s.dropInheritedLocal()
		space = s
	}
	pid := p.sys.NewPID()
	c := makeProc(pid, p.Name, space, p.sched)
	c.borrowed, c.Parent, c.Image, c.Brk, c.vdsoVA, c.handlers, c.cwd = !copyMem, p, p.Image, p.Brk, p.vdsoVA, p.handlers, p.cwd
	c.slack = p.slack
	if copyMem {
		c.mapLocal() // none on failure: the child is a process of threads only
	}
	ct := c.newThread()
	ct.TF = t.TF // pc already past the ecall
	ct.TF.X[RegA0] = 0
	ct.sig.mask = t.sig.mask
	p.copyFDs(c)
	if p.sys.Setup != nil {
		p.sys.Setup(c)
	}
	p.sys.Add(c)
	p.sys.born = append(p.sys.born, c)
	if copyMem {
		return uint64(pid)
	}
	p.sched.Block(t, &c.vforkq, WaitVfork, 0, 0)
	return uint64(pid)
}

// loadErrno is execve's error for an image that could not be set up:
// ENOMEM when memory ran out (the frame pool, or the process's limit),
// E2BIG when the arguments do not fit the initial stack, ENOEXEC when
// the file is not an executable the kernel can load.
func loadErrno(err error) uint64 {
	var lim limitError
	switch {
	case errors.Is(err, vm.ErrNoFrames) || errors.As(err, &lim):
		return uabi.Errno(uabi.ENOMEM)
	case errors.Is(err, ustack.ErrTooBig):
		return uabi.Errno(uabi.E2BIG)
	}
	return uabi.Errno(uabi.ENOEXEC)
}

// strings reads a NULL-terminated array of C strings.
func (p *Proc) strings(va uint64) ([]string, bool) {
	var out []string
	if va == 0 {
		return nil, true
	}
	for i := uint64(0); ; i++ {
		if i == maxArgs {
			return nil, false
		}
		var b [8]byte
		if p.Space.CopyIn(b[:], va+8*i) != nil {
			return nil, false
		}
		ptr := binary.LittleEndian.Uint64(b[:])
		if ptr == 0 {
			return out, true
		}
		s, err := p.Space.CopyInString(ptr, 128<<10)
		if err != nil {
			return nil, false
		}
		out = append(out, s)
	}
}

func (p *Proc) execve(t *Thread, pathVA, argvVA, envVA uint64) uint64 {
	path, err := p.Space.CopyInString(pathVA, 4096)
	if err != nil {
		return efault
	}
	argv, ok := p.strings(argvVA)
	env, ok2 := p.strings(envVA)
	if !ok || !ok2 {
		return efault
	}
	name, ok := programName(path)
	if !ok || p.sys == nil {
		return uabi.Errno(uabi.ENOENT)
	}
	img, ok := p.sys.Program(name)
	if !ok {
		return uabi.Errno(uabi.ENOENT)
	}
	if p.sys.short(len(img) / PageSize) {
		return uabi.Errno(uabi.ENOMEM)
	}
	s, err := NewSpace(p.sys.Phys, p.sys.Frames)
	if err != nil {
		return uabi.Errno(uabi.ENOMEM)
	}
	s.MaxPages = p.Space.MaxPages
	q := makeProc(p.PID, name, s, nil) // no scheduler: its thread starts below
	q.newThread()
	if len(argv) == 0 {
		argv = []string{path}
	}
	if err := q.setup(img, argv, env); err != nil {
		q.Release()
		return loadErrno(err)
	}
	for _, th := range p.Threads {
		p.sched.exit(th)
	}
	p.endAsync()
	if p.borrowed { // the vfork parent runs on
		p.sched.WakeAll(&p.vforkq, sched.CauseWake, uint64(p.PID))
	}
	p.Release()
	p.Space, p.borrowed, p.Image, p.Brk, p.vdsoVA, p.Name = s, false, q.Image, q.Brk, q.vdsoVA, name
	p.adoptSlot(q.cops)
	p.Threads, p.tids = q.Threads, q.tids
	for _, th := range p.Threads {
		p.sched.spawn(p, th)
	}
	for i := range p.handlers {
		if p.handlers[i].handler != uabi.SIG_IGN {
			p.handlers[i] = sigaction{}
		}
	}
	p.closeOnExec()
	return 0
}

// child finds a zombie child matching pid (-1 or 0: any); any reports
// whether a matching child exists at all.
func (p *Proc) child(pid int64) (zombie *Proc, any bool) {
	if p.sys == nil {
		return nil, false
	}
	for _, c := range p.sys.procs {
		if c.Parent != p || c.reaped || pid > 0 && int64(c.PID) != pid {
			continue
		}
		any = true
		if c.Exited && (zombie == nil || c.PID < zombie.PID) {
			zombie = c
		}
	}
	return zombie, any
}

// WaitStatus is c's status as wait4 encodes it (exit code << 8, or the
// terminating signal) and waitid's si_code and si_status.
func (c *Proc) WaitStatus() (wstatus uint32, code, status int32) {
	if c.Killed != "" && c.Status > 128 {
		sig := int32(c.Status - 128)
		return uint32(sig), cldKilled, sig
	}
	return uint32(c.Status&0xff) << 8, cldExited, int32(c.Status & 0xff)
}

// reap forgets a waited-for child (its memory went back when it
// ended); the other waiters of p run their call again (it may have been
// the last child: ECHILD).
func (p *Proc) reap(c *Proc) {
	c.reaped = true
	p.sys.Remove(c)
	p.sched.WakeAll(&p.childq, sched.CauseWake, 0)
}

func (p *Proc) wait4(t *Thread, pid int64, wstatus, options, rusage uint64) uint64 {
	if options&^uint64(uabi.WNOHANG|0x40000000|0x80000000) != 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	c, any := p.child(pid)
	if !any {
		return uabi.Errno(uabi.ECHILD)
	}
	if c == nil {
		if options&uabi.WNOHANG != 0 {
			return 0
		}
		p.sched.Block(t, &p.childq, WaitChild, 0, 0)
		return 0
	}
	ws, _, _ := c.WaitStatus()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], ws)
	if p.put(wstatus, b[:]) != 0 || p.zero(rusage, 144) != 0 {
		return efault
	}
	p.reap(c)
	return uint64(c.PID)
}

func (p *Proc) waitid(t *Thread, idtype uint64, id int64, info, options uint64) uint64 {
	pid := int64(-1)
	switch idtype {
	case uabi.P_PID:
		pid = id
	case uabi.P_ALL:
	default:
		return uabi.Errno(uabi.EINVAL)
	}
	if options&uabi.WEXITED == 0 {
		return uabi.Errno(uabi.EINVAL)
	}
	c, any := p.child(pid)
	if !any {
		return uabi.Errno(uabi.ECHILD)
	}
	if c == nil {
		if options&uabi.WNOHANG != 0 {
			return p.zero(info, 128)
		}
		p.sched.Block(t, &p.childq, WaitChild, 0, 0)
		return 0
	}
	_, code, status := c.WaitStatus()
	b := make([]byte, 128)
	le := binary.LittleEndian
	le.PutUint32(b[0:], uabi.SIGCHLD)
	le.PutUint32(b[8:], uint32(code))
	le.PutUint32(b[16:], uint32(c.PID))
	le.PutUint32(b[24:], uint32(status))
	if p.put(info, b) != 0 {
		return efault
	}
	if options&uabi.WNOWAIT == 0 {
		p.reap(c)
	}
	return 0
}

// killOther sends sig to process pid: SIGKILL ends it at once, other
// signals become pending on its first thread.
func (p *Proc) killOther(pid int64, sig uint64) uint64 {
	if pid <= 0 || p.sys == nil {
		return uabi.Errno(uabi.ESRCH) // process groups: none
	}
	q := p.sys.Lookup(int(pid))
	if q == nil || q.Exited {
		return uabi.Errno(uabi.ESRCH)
	}
	if sig == 0 {
		return 0
	}
	if !validSig(sig) {
		return uabi.Errno(uabi.EINVAL)
	}
	if sig == uabi.SIGKILL {
		q.Signals++
		q.Kill("killed by SIGKILL")
		return 0
	}
	return q.signalProcess(sig)
}
