package uintr

import (
	"sync/atomic"

	"copslab/sched"
)

// Emu is the kernel's emulation of user interrupts on a core without
// the N extension (QEMU): the kernel plays the UINTC and the user CSRs.
//
// Delivery rule. An interrupt is delivered when its process next returns
// to user mode — when it is placed on a hart, or at its next trap or tick
// if it is running (the kernel calls Enter on every return to user). If
// the receiver has CtlUIE set, a pending vector enabled in Enable and is
// not inside its handler, Enter saves the whole user frame in the kernel
// (not in user memory: a process cannot forge what uiret restores),
// clears the taken pending bits and diverts the frame: pc = Handler,
// sp = Stack, a0 = the receiver's address, a1 = the hart, a2 = the
// vectors taken, ra = the uiret trampoline (code that makes the uiret
// system call; the vDSO's handler, entry.go, makes it itself). Return
// (that system call)
// restores the saved frame; the next Enter delivers whatever came since.
// Like ustatus.UIE, interrupts are off inside the handler.
//
// Boost. Pending reports a deliverable interrupt that is not delivered
// yet; the kernel keeps the process at global priority 0 while it does
// (sched.Global.SetUintr), so the handler runs soon. The boost ends at
// delivery: a handler that runs long keeps no privilege.
//
// The caller serialises calls (the kernel holds its lock); Emu allocates
// nothing after New.
type Emu struct {
	// Trace, if set, receives the kernel-side stages (trace.go).
	Trace   Tracer
	senders Senders
	procs   [MaxProcs]emuProc
	gen     uint32
}

type emuProc struct {
	kproc
	pending   uint64 // the truth; Receiver.Pending mirrors it
	inHandler bool
	saved     Frame
}

var _ Controller = (*Emu)(nil)

// NewEmu returns an emulation with no receivers.
func NewEmu() *Emu { return &Emu{} }

func (e *Emu) proc(p uint16) (*emuProc, error) {
	if int(p) >= MaxProcs {
		return nil, ErrBadProc
	}
	ep := &e.procs[p]
	if ep.gen == 0 {
		return nil, ErrNotReg
	}
	return ep, nil
}

// Register sets up proc's receiver r (formatted by Init). The handler,
// stack and enables are the process's to write; they are checked at
// each delivery, not here.
func (e *Emu) Register(proc uint16, r *Receiver, sp Space) (uint32, error) {
	if int(proc) >= MaxProcs {
		return 0, ErrBadProc
	}
	if r.Magic != RecvMagic || r.Version != RecvVersion || r.NRec != RingRecs {
		return 0, ErrBadRecv
	}
	e.Unregister(proc)
	e.gen++
	if e.gen == 0 {
		e.gen = 1
	}
	atomic.StoreUint64(&r.Tail, 0)
	atomic.StoreUint64(&r.Head, 0)
	atomic.StoreUint64(&r.Pending, 0)
	e.procs[proc] = emuProc{kproc: kproc{r: r, sp: sp, gen: e.gen}}
	return e.gen, nil
}

// Unregister forgets proc and every sender entry to or from it.
func (e *Emu) Unregister(proc uint16) {
	if int(proc) >= MaxProcs {
		return
	}
	e.procs[proc] = emuProc{}
	e.senders.DropProc(proc)
}

// Grant lets sender post on recv's vector.
func (e *Emu) Grant(recv uint16, vector uint8, sender uint16) (int, error) {
	rp, err := e.proc(recv)
	if err != nil {
		return 0, err
	}
	return e.senders.Grant(recv, vector, sender, rp.gen)
}

// Post sends through sender's entry idx.
func (e *Emu) Post(sender uint16, idx int) error {
	en, err := e.senders.lookup(sender, idx)
	if err != nil {
		return err
	}
	rp, err := e.proc(en.Recv)
	if err != nil || rp.gen != en.Gen {
		return ErrNotGranted
	}
	e.post(rp, en.Vector)
	return nil
}

func (e *Emu) post(rp *emuProc, vector uint8) {
	rp.pending |= 1 << (vector & (NVectors - 1))
	rp.stats.Posted++
	atomic.StoreUint64(&rp.r.Pending, rp.pending)
}

// Reserve claims a ring slot for an async call of proc.
func (e *Emu) Reserve(proc uint16) error {
	rp, err := e.proc(proc)
	if err != nil {
		return err
	}
	return rp.reserve(proc)
}

// Complete queues rec (a reserved call's completion) and posts VecKernel.
func (e *Emu) Complete(proc uint16, rec Record) error {
	rp, err := e.proc(proc)
	if err != nil {
		return err
	}
	if err := rp.complete(proc, rec); err != nil {
		return err
	}
	rp.stage(e.Trace, proc, rec.Co, sched.CauseIODone, rec.Key)
	e.post(rp, VecKernel)
	rp.stage(e.Trace, proc, rec.Co, sched.CauseUintrSend, rec.Key)
	return nil
}

// deliverable returns the vectors Enter would take now.
func (rp *emuProc) deliverable() uint64 {
	if rp.inHandler || atomic.LoadUint32(&rp.r.Ctl)&CtlUIE == 0 {
		return 0
	}
	return rp.pending & atomic.LoadUint64(&rp.r.Enable)
}

// Pending reports a deliverable interrupt not delivered yet (the boost).
func (e *Emu) Pending(proc uint16) bool {
	rp, err := e.proc(proc)
	return err == nil && rp.deliverable() != 0
}

// Enter delivers on proc's return to user mode (see the type's comment).
func (e *Emu) Enter(proc uint16, hart uint8, f *Frame) error {
	rp, err := e.proc(proc)
	if err != nil {
		return nil
	}
	take := rp.deliverable()
	if take == 0 {
		return nil
	}
	handler, stack, err := rp.checkHandler(proc)
	if err != nil {
		return err
	}
	rp.saved = *f
	rp.inHandler = true
	rp.pending &^= take
	atomic.StoreUint64(&rp.r.Pending, rp.pending)
	rp.stats.Delivered++
	rp.delivered(e.Trace, proc)
	f.PC = handler
	f.X[RegSP] = stack
	f.X[RegRA] = rp.sp.Trampoline()
	f.X[RegA0] = rp.sp.Receiver()
	f.X[RegA1] = uint64(hart)
	f.X[RegA2] = take
	return nil
}

// Leave has nothing to save in the emulation.
func (e *Emu) Leave(proc uint16, hart uint8) {}

// Return is the uiret system call: back to the interrupted frame.
func (e *Emu) Return(proc uint16, f *Frame) error {
	rp, err := e.proc(proc)
	if err != nil {
		return err
	}
	if !rp.inHandler {
		return ErrNotInHdlr
	}
	*f = rp.saved
	rp.inHandler = false
	rp.stats.Returned++
	return nil
}

// Stats returns proc's counters.
func (e *Emu) Stats(proc uint16) Stats {
	if int(proc) >= MaxProcs {
		return Stats{}
	}
	return e.procs[proc].stats
}
