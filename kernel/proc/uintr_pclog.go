package proc

import (
	"encoding/binary"
	"sync/atomic"

	"copslab/uintr"
)

// The delivery log: where each user interrupt landed.
//
// A process that wants to know where its interrupts land — the guest
// proof of the handler/lock protocol (kernel/user/uintrlock) — writes
// the address of a log into its receiver's PCLog word (layout in
// uintr/layout.go: a header {Count, Cap} and Cap entries {PC, Lock}). At
// each delivery the kernel appends the user pc the interrupt diverted,
// the process's Local lock word at that moment and the thread it
// diverted (a process has several: the delivery goes to whichever of
// them the kernel places first): the executor's tag
// there means the interrupt landed inside its lock window, between the
// instruction that took the lock and the one that releases it. Count
// grows at every delivery; entries past Cap are counted, not written.
//
// The log is the process's own memory, written through its page table:
// a bad address or a scribbled header costs that process its log and
// nothing else. A process that asks for nothing (PCLog 0) pays one load
// per delivery.

// logDelivery appends the delivery that interrupts t to p's log, if
// it keeps one; t is the thread, its frame not yet diverted.
func (p *Proc) logDelivery(r *uintr.Receiver, t *Thread) {
	log := atomic.LoadUint64(&r.PCLog)
	if log == 0 || p.Space == nil {
		return
	}
	var h [16]byte
	if p.Space.CopyIn(h[:], log) != nil {
		return
	}
	n, cap := binary.LittleEndian.Uint64(h[:]), binary.LittleEndian.Uint64(h[8:])
	if n < cap && n < (UserTop-log)/16 {
		var e [16]byte
		binary.LittleEndian.PutUint64(e[:], t.TF.PC)
		if p.cops != nil && p.cops.l != nil {
			binary.LittleEndian.PutUint32(e[8:], atomic.LoadUint32(&p.cops.l.Lock))
		}
		binary.LittleEndian.PutUint32(e[12:], uint32(t.TID))
		if p.Space.CopyOut(log+16+16*n, e[:]) != nil {
			return
		}
	}
	binary.LittleEndian.PutUint64(h[:], n+1)
	p.Space.CopyOut(log, h[:8])
}
