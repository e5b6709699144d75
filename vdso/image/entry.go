package image

import (
	"encoding/binary"

	"copslab/vdso"
)

// Entry is a C-callable function of the image (psABI calling
// convention: arguments in a0, a1, result in a0, s0–s11 preserved) whose
// body is a Go function of the form
//
//	func(d *vdso.Data, arg0, arg1 uintptr-sized, ticks uint64) uintptr
//
// called with Go's internal ABI (arguments in X10–X13). The entry code,
// generated here, is:
//
//	addi  sp, sp, -F          F: 64 bytes + the saved registers, 16-aligned
//	sd    ra, 40(sp)          8(sp)..40(sp): spill slots Go may use for 4 arguments
//	sd    a0, 48(sp)
//	sd    a1, 56(sp)
//	sd    sN, 64+8i(sp)       each C callee-saved register the body may write
//	rdtime a3                 the time CSR
//	mv    a2, a1
//	mv    a1, a0
//	auipc a0, %hi(data)       the data page, pc-relative
//	addi  a0, a0, %lo(data)
//	jal   ra, body
//	ld    sN, 64+8i(sp)
//	ld    ra, 40(sp)
//	bnez  a0, fallback        vdso.Syscall: let the kernel answer
//	addi  sp, sp, F
//	ret                       a0 = 0 (vdso.Done)
//	fallback:
//	ld    a0, 48(sp)
//	ld    a1, 56(sp)
//	addi  sp, sp, F
//	li    a7, Syscall
//	ecall
//	ret
//
// The registers to save are the s-registers written by any function the
// body reaches (found by the check), so adding code that needs more
// registers can never break a C caller silently.
type Entry struct {
	Name    string // exported symbol, e.g. __vdso_clock_gettime
	Version string // its symbol version, e.g. LINUX_4.15
	Body    Func
	Syscall int // system call number of the fallback
}

// entryCode is an entry's code with the places to patch after layout.
type entryCode struct {
	code    []byte
	dataFix uint64 // offset of the auipc
	callFix uint64 // offset of the jal
}

func genEntry(e Entry, saved []uint32) entryCode {
	frame := int32(64+8*len(saved)+15) &^ 15
	var w []uint32
	var ec entryCode
	emit := func(x ...uint32) { w = append(w, x...) }
	emit(addi(regSP, regSP, -frame), sd(regRA, regSP, 40), sd(regA0, regSP, 48), sd(regA1, regSP, 56))
	for i, r := range saved {
		emit(sd(r, regSP, int32(64+8*i)))
	}
	emit(rdtime(regA3), addi(regA2, regA1, 0), addi(regA1, regA0, 0))
	ec.dataFix = uint64(4 * len(w))
	emit(auipc(regA0, 0), addi(regA0, regA0, 0))
	ec.callFix = uint64(4 * len(w))
	emit(jal(regRA))
	for i, r := range saved {
		emit(ld(r, regSP, int32(64+8*i)))
	}
	emit(ld(regRA, regSP, 40), bne(regA0, regZero, 12), addi(regSP, regSP, frame), jalr(regZero, regRA, 0))
	emit(ld(regA0, regSP, 48), ld(regA1, regSP, 56), addi(regSP, regSP, frame), addi(regA7, regZero, int32(e.Syscall)), ecall(), jalr(regZero, regRA, 0))
	for _, x := range w {
		ec.code = binary.LittleEndian.AppendUint32(ec.code, x)
	}
	return ec
}

// patch fills in the data page and body addresses; at is the entry's
// offset in the file, data and body are offsets in the file too.
func (ec *entryCode) patch(at, data, body uint64) error {
	hi, lo, err := hiLo(int64(data) - int64(at+ec.dataFix))
	if err != nil {
		return err
	}
	put32(ec.code[ec.dataFix:], auipc(regA0, hi))
	put32(ec.code[ec.dataFix+4:], addi(regA0, regA0, lo))
	j, err := setJImm(jal(regRA), int64(body)-int64(at+ec.callFix))
	if err != nil {
		return err
	}
	put32(ec.code[ec.callFix:], j)
	return nil
}

// savedRegs lists the C callee-saved registers that the functions
// reachable from body write.
func savedRegs(body *fn, set map[uint64]*fn) []uint32 {
	w := map[uint32]bool{}
	for _, f := range reach(body, set) {
		for r := range f.writes {
			w[r] = true
		}
	}
	var out []uint32
	for r := uint32(0); r < 32; r++ {
		if w[r] && calleeSaved(r) {
			out = append(out, r)
		}
	}
	return out
}

// The entry code takes a0 = 0 for vdso.Done (bnez a0 → fallback).
var _ = [1]struct{}{}[vdso.Done]
