package proc

import (
	"math/bits"
	"unsafe" // a Local is viewed in the two frames that hold it

	"copslab/kernel/ktrace"
	"copslab/kernel/vm"
	"copslab/sched"
	"copslab/sched/executor"
	"copslab/uintr"
)

// Per-process scheduler state (COPS): every process the kernel sets up
// gets its own sched.Local — two adjacent frames from the kernel's pool,
// mapped read-write at LocalVA into that process only and announced with
// AT_COPS_LOCAL — in which its user coroutines (kernel/user/cops) live.
// The kernel keeps the sched.Global (SetCOPS): the process slots, the
// global priority array and the trace.
//
// # Lifecycle
//
//   - setup (New, execve's new image) allocates a slot and the frames,
//     formats the Local with the slot (Local.Init) and maps it; execve's
//     new image gets a fresh Local and the old one goes with the old
//     image (Release).
//   - fork: Clone would share every shared page, the parent's Local
//     too; the child's copy drops that mapping and gets its own fresh
//     Local (ids carry the slot, so a copy would not even be valid). A
//     vfork child runs in its parent's space and has none until execve.
//   - Release — called by Exit, the one exit path — collects the
//     Local's last events, frees the slot and the frames.
//
// A process without a Local (no slot or frame left, a vfork child, host
// tests without SetCOPS) is a process of threads only.
//
// # Placement: the kernel's executor decides (Sched.pick)
//
// The kernel's COPS executor (copslab/sched/executor, given with
// SetCOPS) makes every decision: it runs the kernel's own coroutines
// (console driver, timer queue — kernel/kmain) and places processes, all
// by one rule, priority, FIFO among equals. Every process has a slot in
// the executor's Global: with its Local, or — when no Local could be
// given (no frames, a vfork child before execve) — as a process of
// threads only. Before each decision the kernel tells the executor which
// processes can run (SetRunnable: the sched.PrioOfNice of the best ready
// thread, nice 0 → 4, five nice values per priority; Idle when none is
// ready). A process's global priority is then its Local's local priority
// — the best of its ready coroutines and its running one, read by sched's
// defensive reader Global.Sample without a system call — when that is not
// Idle, else its threads'. Among equals the least recently placed goes
// first; at a tick (and at sched_yield) an equal waiting process takes the
// hart, at other traps the running one keeps it. A Local that the reader
// finds corrupt kills its process with the reader's message, e.g.
// "process 3: scheduler state corrupt at byte 14 of its Local: slot
// number out of range"; nothing else is affected and the kernel never
// follows an index it has not checked. Processes beyond the Global's
// slots (more than MaxProcs-1 live) run, in turn, whenever the executor
// has nothing else to place.
//
// # Trace
//
// The executor collects the events of every Local it samples (user
// coroutine transitions), of the kernel's coroutines and of its
// placements (CausePlace markers of its scheduler coroutine, Arg the
// process) into the Global; drainTrace moves them into ktrace's ring,
// each naming its process by pid (Proc, and Arg of a placement) as the
// threads' events do.

// LocalVA is where a process sees its own Local (two pages), below the
// sigreturn trampoline with a guard page between.
const LocalVA = TrampolineVA - 4*PageSize

// copsX is the kernel's executor and copsGlobal its Global (nil: no
// executor; processes get no Local and take turns by the ring).
var (
	copsX      *executor.Executor
	copsGlobal *sched.Global
)

// slotProc maps a Global slot to the process that holds it; slotsUsed
// has bit i set while slotProc[i] is not nil.
var (
	slotProc  [sched.MaxProcs]*Proc
	slotsUsed uint64
)

// copsTag is the kernel's owner tag for the Global's lock (the executor's).
var copsTag = sched.LockTag(0, false)

// SetCOPS gives kernel/proc the kernel's executor: every process set up
// from now on gets a slot and, when frames allow, a Local, and the
// executor makes every decision. nil turns it off.
func SetCOPS(x *executor.Executor) {
	copsX, copsGlobal, slotProc, slotsUsed = x, nil, [sched.MaxProcs]*Proc{}, 0
	if x == nil {
		return
	}
	copsGlobal = x.Global()
	x.OnKill = func(k executor.Kill) {
		p := slotProc[k.Proc]
		if p == nil || p.cops == nil {
			return
		}
		p.cops.dropped = true // the executor freed the slot already
		p.Kill(k.Msg)
	}
}

// copsLocal is a process's slot, and its Local, as the kernel holds them.
type copsLocal struct {
	frames  Frames
	slot    uint16
	pa      uint64       // first of the two adjacent frames
	l       *sched.Local // nil: a process of threads only
	dropped bool         // the executor dropped the slot (a corrupt Local)
	// What the executor was last told (tell): its threads' priority
	// (told: anything yet) and its pending user interrupt.
	told    bool
	run     uint8
	boosted bool
}

// tell passes the executor what changed of p's threads (SetRunnable)
// and, for a process with a receiver, of its pending user interrupt
// (SetUintr: the boost to priority 0 until the handler is entered,
// uintr.go) since it was last told: a decision costs a look per
// process, a call only for a change.
func (c *copsLocal) tell(p *Proc) {
	if prio := p.runnablePrio(); !c.told || prio != c.run {
		copsX.SetRunnable(c.slot, prio)
		c.told, c.run = true, prio
	}
	if p.uintr != nil {
		if pending := p.uintrPending(); pending != c.boosted {
			copsX.SetUintr(c.slot, pending)
			c.boosted = pending
		}
	}
}

// lockGlobal takes the Global's lock (one hart: it is free unless a
// decision is re-entered, which is a kernel bug).
func lockGlobal() {
	if !copsGlobal.TryLock(copsTag) {
		panic("proc: the scheduler's Global lock is held")
	}
}

func unlockGlobal() { copsGlobal.Unlock(copsTag) }

// mapLocal gives p a slot and a fresh Local mapped at LocalVA and
// reports its address (0: none, the process is one of threads only).
func (p *Proc) mapLocal() (uint64, error) {
	if copsX == nil {
		return 0, nil
	}
	slot, ok := freeSlot()
	if !ok {
		return 0, nil // runs beyond the slots (see the essay)
	}
	s := p.Space
	pa, ok := allocPair(s.frames)
	if !ok {
		p.threadSlot(slot)
		return 0, nil
	}
	lo, hi := s.phys.Bytes(pa, PageSize), s.phys.Bytes(pa+PageSize, PageSize)
	if uintptr(unsafe.Pointer(&lo[0]))+PageSize != uintptr(unsafe.Pointer(&hi[0])) {
		s.frames.Free(pa)
		s.frames.Free(pa + PageSize)
		p.threadSlot(slot)
		return 0, nil // the kernel does not see the frames side by side
	}
	l := (*sched.Local)(unsafe.Pointer(&lo[0]))
	if err := s.MapShared(LocalVA, pa, sched.LocalSize, vm.R|vm.W); err != nil {
		s.frames.Free(pa)
		s.frames.Free(pa + PageSize)
		return 0, err
	}
	if err := copsX.AddProc(slot, l); err != nil { // formats l
		panic("proc: " + err.Error()) // freeSlot found it free
	}
	lockGlobal()
	copsGlobal.Procs[slot].Addr = uint64(uintptr(unsafe.Pointer(l)))
	unlockGlobal()
	p.adoptSlot(&copsLocal{frames: s.frames, slot: slot, pa: pa, l: l})
	return LocalVA, nil
}

// threadSlot registers p in slot as a process of threads only.
func (p *Proc) threadSlot(slot uint16) {
	if err := copsX.AddProc(slot, nil); err != nil {
		panic("proc: " + err.Error())
	}
	p.adoptSlot(&copsLocal{slot: slot})
}

// adoptSlot makes c p's slot (execve moves the new image's to the
// process).
func (p *Proc) adoptSlot(c *copsLocal) {
	p.cops = c
	if c != nil {
		slotProc[c.slot] = p
		slotsUsed |= 1 << c.slot
	}
}

// takeSlot gives a process without a slot (a vfork child, one set up
// when none was free) a slot of threads only, if one is free.
func (p *Proc) takeSlot() {
	if slot, ok := freeSlot(); ok && !p.Exited {
		p.threadSlot(slot)
	}
}

// freeSlot finds an unused process slot of the Global (slot 0 is the
// kernel's).
func freeSlot() (uint16, bool) {
	for i := uint16(1); i < sched.MaxProcs; i++ {
		if copsGlobal.Procs[i].Flags&sched.ProcUsed == 0 && slotProc[i] == nil {
			return i, true
		}
	}
	return 0, false
}

// allocPair allocates two adjacent frames (the pool hands out the
// lowest free frame, so this rarely takes more than two tries); it
// returns the lower one.
func allocPair(f Frames) (uint64, bool) {
	var skipped []uint64
	defer func() {
		for _, pa := range skipped {
			f.Free(pa)
		}
	}()
	a, ok := f.Alloc()
	for tries := 0; ok && tries < 64; tries++ {
		b, ok2 := f.Alloc()
		if !ok2 {
			break
		}
		switch {
		case b == a+PageSize:
			return a, true
		case a == b+PageSize:
			return b, true
		}
		skipped = append(skipped, a)
		a = b
	}
	if ok {
		skipped = append(skipped, a)
	}
	return 0, false
}

// releaseLocal collects p's last events and frees its slot and its
// Local's frames (the mapping goes with the space).
func (p *Proc) releaseLocal() error {
	c := p.cops
	if c == nil {
		return nil
	}
	p.cops = nil
	if !c.dropped {
		copsX.RemoveProc(c.slot) // collects its last events
	}
	drainTrace()
	if slotProc[c.slot] == p {
		slotProc[c.slot] = nil
		slotsUsed &^= 1 << c.slot
	}
	if c.l == nil {
		return nil
	}
	if err := c.frames.Free(c.pa); err != nil {
		return err
	}
	return c.frames.Free(c.pa + PageSize)
}

// dropInheritedLocal removes the parent's Local and user-interrupt
// receiver from a fork child's cloned space.
func (s *Space) dropInheritedLocal() { s.unshare(LocalVA, RecvVA+uintr.RecvSize) }

// drainTrace moves the executor's collected events into ktrace's ring,
// each naming its process by pid rather than by slot.
func drainTrace() {
	var buf [16]sched.Event
	for {
		n := copsX.Drain(buf[:])
		for i := range buf[:n] {
			e := &buf[i]
			e.Proc = slotPID(e.Proc)
			if e.Cause == sched.CausePlace && e.Arg != uint64(sched.NoProc) {
				e.Arg = uint64(slotPID(uint16(e.Arg)))
			}
		}
		ktrace.Record(buf[:n]...)
		if n < len(buf) {
			return
		}
	}
}

// slotPID is the pid of the process in slot (0: the kernel, or none).
func slotPID(slot uint16) uint16 {
	if slot < sched.MaxProcs {
		if p := slotProc[slot]; p != nil {
			return uint16(p.PID)
		}
	}
	return 0
}

// runnablePrio is what the executor is told of p's threads: the
// priority of its best ready thread, Idle when none is ready.
func (p *Proc) runnablePrio() uint8 {
	if p.nReady == 0 || p.Exited {
		return sched.Idle
	}
	return sched.PrioOfNice(bits.TrailingZeros64(p.runBits) - 20)
}

// pick asks the executor what runs next and returns the process to take
// a thread from (nil: nothing; the executor may have run kernel
// coroutines meanwhile). See the essay.
func (s *Sched) pick() *Proc {
	if copsX == nil {
		for p := s.ring.pop(); p != nil; p = s.ring.pop() {
			if p.nReady > 0 {
				return p
			}
		}
		return nil
	}
	if p := s.stays(); p != nil {
		s.ring.remove(p)
		return p
	}
	for {
		var spare *Proc // a ready process beyond the slots
		for _, p := range s.ring.q[s.ring.head:] {
			if p.cops == nil {
				p.takeSlot()
			}
			if p.cops == nil && p.nReady > 0 && spare == nil {
				spare = p
			}
		}
		for i, m := 0, slotsUsed; m != 0; i, m = i+1, m>>1 {
			if p := slotProc[i]; m&1 != 0 && p != nil {
				p.cops.tell(p)
			}
		}
		d := copsX.Decide(0, ^uint64(0), s.why)
		s.why = executor.Trap
		drainTrace()
		switch d.Outcome {
		case executor.RunKernel:
			continue // a kernel coroutine ran: it may have readied threads
		case executor.RunUser:
			if p := slotProc[d.Proc&(sched.MaxProcs-1)]; p != nil && p.nReady > 0 {
				s.ring.remove(p)
				p.Placed++
				return p
			}
		}
		if spare != nil {
			s.ring.remove(spare)
		}
		return spare
	}
}

// stays returns the process on the hart if it is the only one with a
// ready thread and no kernel coroutine is ready: the executor would
// leave it there without an event (its protocol's step 3), so the
// decision is skipped and the cost of a switch between one process's
// threads stays near the seam's. Its Local is read at the next full
// decision (its events are collected then or at its exit, losses
// counted; a corruption hurts only itself meanwhile).
func (s *Sched) stays() *Proc {
	var only *Proc
	for _, p := range s.ring.q[s.ring.head:] {
		if p.nReady > 0 {
			if only != nil {
				return nil
			}
			only = p
		}
	}
	if only == nil || only.cops == nil || copsGlobal.HartProc[0] != only.cops.slot || copsX.KernelReady() {
		return nil
	}
	return only
}

// DrainCOPS moves the events the executor collected into the trace
// (a kernel mode that calls the executor itself, e.g. kcoprio).
func DrainCOPS() {
	if copsX != nil {
		drainTrace()
	}
}

// StopCOPS ends the executor's kernel coroutines (at power-off) and
// moves their last events into the trace.
func StopCOPS() {
	if copsX != nil {
		copsX.Shutdown()
		drainTrace()
	}
}

// LocalSlot reports p's slot in the kernel's Global and the address of
// its Local in the process (ok false: it has no Local).
func (p *Proc) LocalSlot() (slot uint16, va uint64, ok bool) {
	if p.cops == nil || p.cops.l == nil {
		return 0, 0, false
	}
	return p.cops.slot, LocalVA, true
}
