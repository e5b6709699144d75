//go:build copslab

package runtime

import "unsafe"

// Instructions the hardware may lack, emulated in the trap handler.
//
// rdtime (csrrs rd, time, zero): the Go runtime's cputicks reads the time
// CSR. QEMU's virt machine provides it; sifive_u's CLINT does not (QEMU
// 7.2 creates its timer without rdtime), and neither need real cores,
// where M-mode firmware traditionally emulates it. The answer is mtime,
// which is what the CSR mirrors where it exists.
const (
	bmInsnRdtimeMask = 0xfffff07f // all but rd
	bmInsnRdtime     = 0xc0102073 // csrrs rd, time(0xc01), zero
)

// bmEmulate serves an illegal-instruction trap if the instruction is one
// we emulate; it reports whether it did. User programs (fromUser) read
// the time CSR too (Go's cputicks); their instruction is taken from mtval
// only, since its address is virtual.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
// nowritebarrierrec: trap context must not run write barriers.
//
//go:nosplit
//go:nowritebarrierrec
func bmEmulate(f *bmTrapFrame, fromUser bool) bool {
	insn := uint32(f.mtval)
	if insn == 0 && !fromUser { // mtval may be 0 on hardware: fetch (2-byte aligned)
		p := (*[2]uint16)(unsafe.Pointer(uintptr(f.mepc)))
		insn = uint32(p[0]) | uint32(p[1])<<16
	}
	if insn&bmInsnRdtimeMask != bmInsnRdtime {
		return false
	}
	if rd := insn >> 7 & 31; rd != 0 {
		f.x[rd] = bmMtime()
	}
	f.mepc += 4
	bmStats.emulated.Add(1)
	return true
}
