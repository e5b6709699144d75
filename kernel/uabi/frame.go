package uabi

import (
	"encoding/binary"
	"errors"
)

// Sigframe is what the kernel stores in an rt_sigframe (layout in
// sigframe.go) when it delivers a signal, and what rt_sigreturn restores.
//
// Delivery: the kernel fills a Sigframe from the interrupted thread (its
// registers, FP state, current signal mask, sigaltstack) plus the signal's
// siginfo, writes it with Marshal at sp = (old sp or alt stack top -
// SigframeSize) &^ 15, and resumes the thread at the handler with a0 =
// Signo, a1 = sp+SigframeInfo, a2 = sp+SigframeUc, ra = the sigreturn
// trampoline, and the handler's mask added. rt_sigreturn: Unmarshal from
// the thread's sp (the handler has returned to the trampoline with the
// same sp), restore Regs, FRegs, Fcsr and Sigmask — the Go runtime may have
// edited Regs[0] (pc) and others to inject a call.
type Sigframe struct {
	// siginfo
	Signo, Errno, Code int32
	Addr               uint64 // si_addr for faults; shares bytes with Pid/UID
	Pid, UID           uint32 // sender for kill/tgkill (used when Addr == 0)

	// ucontext
	AltStack StackT
	Sigmask  uint64
	Regs     [32]uint64 // Regs[0] = pc, Regs[n] = x<n>
	FRegs    [32]uint64 // f0..f31 as 64-bit values (D extension)
	Fcsr     uint32
}

// StackT is stack_t (sigaltstack).
type StackT struct {
	Sp    uint64
	Flags int32
	Size  uint64
}

// ErrShortFrame reports a buffer smaller than SigframeSize.
var ErrShortFrame = errors.New("uabi: buffer shorter than an rt_sigframe")

var le = binary.LittleEndian

// Marshal writes f as an rt_sigframe into b[:SigframeSize], zeroing every
// byte it does not set (the buffer may hold stale user stack contents).
func (f *Sigframe) Marshal(b []byte) error {
	if len(b) < SigframeSize {
		return ErrShortFrame
	}
	b = b[:SigframeSize]
	clear(b)
	le.PutUint32(b[SiSigno:], uint32(f.Signo))
	le.PutUint32(b[SiErrno:], uint32(f.Errno))
	le.PutUint32(b[SiCode:], uint32(f.Code))
	if f.Addr != 0 {
		le.PutUint64(b[SiAddr:], f.Addr)
	} else {
		le.PutUint32(b[SiPid:], f.Pid)
		le.PutUint32(b[SiUID:], f.UID)
	}
	uc := b[SigframeUc:]
	le.PutUint64(uc[UcStack+StackSp:], f.AltStack.Sp)
	le.PutUint32(uc[UcStack+StackFlags:], uint32(f.AltStack.Flags))
	le.PutUint64(uc[UcStack+StackSize:], f.AltStack.Size)
	le.PutUint64(uc[UcSigmask:], f.Sigmask)
	mc := uc[UcMcontext:]
	for n, r := range f.Regs {
		le.PutUint64(mc[ScReg(n):], r)
	}
	for n, r := range f.FRegs {
		le.PutUint64(mc[ScFreg(n):], r)
	}
	le.PutUint32(mc[ScFcsr:], f.Fcsr)
	return nil
}

// Unmarshal reads an rt_sigframe from b. Addr is always read; Pid/UID
// are the same bytes seen as two 32-bit fields.
func (f *Sigframe) Unmarshal(b []byte) error {
	if len(b) < SigframeSize {
		return ErrShortFrame
	}
	f.Signo = int32(le.Uint32(b[SiSigno:]))
	f.Errno = int32(le.Uint32(b[SiErrno:]))
	f.Code = int32(le.Uint32(b[SiCode:]))
	f.Addr = le.Uint64(b[SiAddr:])
	f.Pid, f.UID = le.Uint32(b[SiPid:]), le.Uint32(b[SiUID:])
	uc := b[SigframeUc:]
	f.AltStack = StackT{
		Sp:    le.Uint64(uc[UcStack+StackSp:]),
		Flags: int32(le.Uint32(uc[UcStack+StackFlags:])),
		Size:  le.Uint64(uc[UcStack+StackSize:]),
	}
	f.Sigmask = le.Uint64(uc[UcSigmask:])
	mc := uc[UcMcontext:]
	for n := range f.Regs {
		f.Regs[n] = le.Uint64(mc[ScReg(n):])
	}
	for n := range f.FRegs {
		f.FRegs[n] = le.Uint64(mc[ScFreg(n):])
	}
	f.Fcsr = le.Uint32(mc[ScFcsr:])
	return nil
}

// SigframeSP returns where the frame goes for a thread whose stack
// pointer is sp: 16-byte aligned, SigframeSize below sp.
func SigframeSP(sp uint64) uint64 { return (sp - SigframeSize) &^ 15 }
