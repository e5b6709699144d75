//go:build copslab

package runtime

import "unsafe"

// Console output usable in trap context: no allocation, no locks, no
// stack growth.

var bmRegNames = [32]string{"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
	"s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11(g)",
	"t3", "t4", "t5", "t6"}

var bmCauseNames = [16]string{"instruction address misaligned", "instruction access fault",
	"illegal instruction", "breakpoint", "load address misaligned", "load access fault",
	"store address misaligned", "store access fault", "ecall from U-mode",
	"ecall from S-mode", "reserved", "ecall from M-mode", "instruction page fault",
	"load page fault", "reserved", "store page fault"}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmPrint(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			bmConsolePutc('\r')
		}
		bmConsolePutc(s[i])
	}
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmPrintHex(label string, v uint64) {
	bmPrint(label)
	bmConsolePutc('0')
	bmConsolePutc('x')
	for shift := 60; shift >= 0; shift -= 4 {
		bmConsolePutc("0123456789abcdef"[(v>>uint(shift))&15])
	}
}

// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmPrintDec(v uint64) {
	div := uint64(1)
	for v/div >= 10 {
		div *= 10
	}
	for ; div > 0; div /= 10 {
		bmConsolePutc(byte('0' + v/div%10))
	}
}

// bmReport prints the machine state of a trap: cause, pc, faulting
// address, all general registers and the interrupted goroutine.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmReport(what string, f *bmTrapFrame) {
	bmPrint("\ncopslab: ")
	bmPrint(what)
	bmPrintHex(": mcause=", f.mcause)
	if f.mcause < uint64(len(bmCauseNames)) {
		bmPrint(" (")
		bmPrint(bmCauseNames[f.mcause])
		bmPrint(")")
	}
	bmPrintHex(" mepc=", f.mepc)
	bmPrintHex(" mtval=", f.mtval)
	bmPrint("\n")
	for i := 1; i < 32; i++ {
		bmPrint("  ")
		bmPrint(bmRegNames[i])
		bmPrintHex("=", f.x[i])
		if i%4 == 3 {
			bmPrint("\n")
		}
	}
	bmPrintHex("\n  mstatus=", f.mstatus)
	gp := (*g)(unsafe.Pointer(uintptr(f.x[27])))
	if gp != nil {
		bmPrint(" goroutine ")
		bmPrintDec(gp.goid)
	}
	bmPrint("\n")
}
