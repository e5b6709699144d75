package proc

import (
	"fmt"

	"copslab/kernel/uabi"
	"copslab/kernel/vm"
)

// Proc is a user process: an address space and its threads.
type Proc struct {
	PID      int
	Name     string
	Space    *Space
	Threads  []*Thread // live threads; Threads[0] is the main thread at start
	Image    *Image
	Brk      uint64           // current program break
	files    map[uint64]*file // descriptor table (fd.go, epoll.go)
	cloexec  map[uint64]bool  // close-on-exec descriptors
	handlers [uabi.NSIG + 1]sigaction
	tids     int        // threads created (the first has tid = pid)
	nextTID  int        // lone processes: the last thread id given out, minus PID
	sys      *System    // process table (nil: a lone process)
	borrowed bool       // Space is the vfork parent's, not ours
	cwd      string     // working directory (sys_ident.go; "" = /)
	reaped   bool       // the parent has waited for it
	vdsoVA   uint64     // the vDSO's address (AT_SYSINFO_EHDR), 0 if none
	cops     *copsLocal // its scheduler state (cops.go), nil if none
	uintr    *recvState // its user-interrupt receiver (uintr.go), nil if none
	kthreads []*Thread  // kernel coroutines of its async calls in flight
	nAsync   int        // len(kthreads): while > 0 its blocked threads are not deadlocked

	// Parent is the process that cloned it (nil for those the kernel
	// started).
	Parent *Proc

	Exited     bool
	Status     int    // exit status once Exited
	Killed     string // why the kernel ended it, if it did
	ReleaseErr error  // from giving its frames back when it ended

	FaultPC, FaultAddr uint64 // the fault that killed it (pc, mtval)
	FaultTID           int    // and the thread that took it

	// Scheduling (sched.go): ready lists per nice level, counts, and
	// the wait queues that belong to the process.
	sched   *Sched
	runq    [niceLevels]tlist
	runBits uint64 // non-empty levels of runq
	nReady  int    // threads in runq
	live    int    // threads not exited
	stuck   int    // threads blocked on futex/epoll with no deadline
	queued  bool   // in sched's ring
	suspect bool   // in sched's deadlock list
	lastRun *Thread
	childq  WaitQ // threads in wait4/waitid
	vforkq  WaitQ // the vfork parent thread, until execve or exit
	pollq   WaitQ // threads in epoll_pwait
	futexq  map[uint64]*WaitQ
	slack   int64     // timer slack in ns (prctl PR_SET_TIMERSLACK; slack.go), 0: none
	softq   timerHeap // its threads blocked with slack, by the deadline they asked for

	Syscalls   int // system calls served
	Interrupts int // interrupts that took the CPU from it
	Signals    int // signals sent to it (tgkill, kill)
	// Entries counts entries into user mode; EnterInstret sums the
	// instructions retired from each entry until it returned (the
	// kernel's run loop measures them).
	Entries      int
	EnterInstret uint64
	Faults       int // faults that raised a signal
	// Placed counts the kernel's placements of the process (each is a
	// CausePlace event in the trace). Async counts its async calls,
	// Delivered the user interrupts it was diverted to its handler for;
	// ExecWakes the ends of its executor's sleeps (a futex wait on its
	// receiver's Wake word with an async call in flight) that its user
	// interrupt caused, SignalWakes those a signal interrupted,
	// OtherWakes those anything else caused (uintr.go).
	Placed, Async, Delivered, ExecWakes, SignalWakes, OtherWakes int
	Unknown                                                      map[uint64]int // ENOSYS count per call number
}

// New creates a process running the ELF executable img with a stack at
// StackTop (StackInit bytes mapped, the rest of StackSize reserved) and
// the argument vector built by initStack, and the environment StartEnv.
func New(pid int, name string, img []byte, args []string, phys Phys, frames Frames) (*Proc, error) {
	return NewEnv(pid, name, img, args, StartEnv, phys, frames)
}

// NewEnv is New with the environment env (NAME=value strings).
func NewEnv(pid int, name string, img []byte, args, env []string, phys Phys, frames Frames) (*Proc, error) {
	s, err := NewSpace(phys, frames)
	if err != nil {
		return nil, err
	}
	p := makeProc(pid, name, s, &Sched{}) // System.Add moves it to the table's scheduler
	p.initFDs()
	p.newThread()
	if err := p.setup(img, append([]string{"/bin/" + name}, args...), env); err != nil {
		p.Release()
		return nil, err
	}
	return p, nil
}

// makeProc is the one constructor of a process (New, fork, and the
// new image execve builds): whatever a process owns besides its address
// space, descriptors and threads starts here. sched nil: its threads
// are created but not scheduled yet (execve spawns them later). The
// one exit path is Exit (trap.go).
func makeProc(pid int, name string, space *Space, sched *Sched) *Proc {
	return &Proc{PID: pid, Name: name, Space: space, Unknown: map[uint64]int{}, sched: sched}
}

func (p *Proc) setup(img []byte, argv, env []string) error {
	im, err := p.Space.LoadELF(img)
	if err != nil {
		return err
	}
	p.Image = im
	s := p.Space
	if err := s.Reserve(StackTop-StackSize, StackSize-StackInit, vm.R|vm.W); err != nil {
		return err
	}
	if err := s.MapZero(StackTop-StackInit, StackInit, vm.R|vm.W); err != nil {
		return err
	}
	if err := p.mapTrampoline(); err != nil {
		return err
	}
	if p.vdsoVA, err = p.mapVDSO(); err != nil {
		return err
	}
	if _, err = p.mapLocal(); err != nil {
		return err
	}
	sp, err := p.initStack(argv, env)
	if err != nil {
		return fmt.Errorf("proc: initial stack: %w", err)
	}
	tf := &p.Threads[0].TF
	tf.PC = im.Entry
	tf.X[RegSP] = sp
	tf.SATP = s.PT.SATP(0)
	p.Brk = im.End
	return nil
}

// newThread adds a thread, Ready if p has a scheduler (execve builds
// its thread first and spawns it later). A process's first thread has
// the process's id, as on Linux; later ones take fresh ids from the
// process table's counter, which also numbers processes, so a thread id
// is unique for the kernel's lifetime and never equals another
// process's pid. (A process without a table counts up from its pid.)
func (p *Proc) newThread() *Thread {
	tid := p.PID
	if p.tids > 0 {
		if p.sys != nil && p.sys.NewPID != nil {
			tid = p.sys.NewPID()
		} else {
			p.nextTID++
			tid = p.PID + p.nextTID
		}
	}
	p.tids++
	t := &Thread{TID: tid, proc: p}
	p.Threads = append(p.Threads, t)
	if p.sched != nil {
		p.sched.spawn(p, t)
	}
	return t
}

// Release frees the process's memory (Exit does; calling it again, or
// on a process that never ran, is harmless).
func (p *Proc) Release() error {
	p.releaseUintr()
	lerr := p.releaseLocal()
	if p.Space == nil || p.borrowed {
		p.Space = nil
		return lerr
	}
	err := p.Space.Release()
	p.Space = nil
	if err == nil {
		err = lerr
	}
	return err
}

// Kill ends the process with SIGKILL's status (137), recording why.
func (p *Proc) Kill(why string) {
	p.Exit(128+uabi.SIGKILL, why)
}
