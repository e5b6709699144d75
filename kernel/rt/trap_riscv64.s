//go:build copslab

#include "textflag.h"
#include "go_asm.h"

// Offsets into bmTrapFrame (trap.go); go_asm.h derives them from the Go
// struct, so the two cannot drift apart.
#define X(n) (bmTrapFrame_x+8*n)(X2)
#define F(n) (bmTrapFrame_f+8*n)(X2)

// func bmTrapVector()
//
// mtvec (direct mode). Every trap and interrupt lands here. mscratch holds
// the top of the private trap stack while Go code runs and 0 while a trap
// is being handled, so a trap inside the handler is recognised and
// reported instead of overwriting the first frame.
TEXT runtime·bmTrapVector(SB),NOSPLIT|NOFRAME,$0
	CSRRW	X2, MSCRATCH, X2	// swap sp and mscratch
	BEQ	X2, ZERO, nested
	ADD	$-bmTrapFrame__size, X2
	MOV	X1, X(1)
	MOV	X3, X(3)
	MOV	TP, X(4)
	MOV	X5, X(5)
	MOV	X6, X(6)
	MOV	X7, X(7)
	MOV	X8, X(8)
	MOV	X9, X(9)
	MOV	X10, X(10)
	MOV	X11, X(11)
	MOV	X12, X(12)
	MOV	X13, X(13)
	MOV	X14, X(14)
	MOV	X15, X(15)
	MOV	X16, X(16)
	MOV	X17, X(17)
	MOV	X18, X(18)
	MOV	X19, X(19)
	MOV	X20, X(20)
	MOV	X21, X(21)
	MOV	X22, X(22)
	MOV	X23, X(23)
	MOV	X24, X(24)
	MOV	X25, X(25)
	MOV	X26, X(26)
	MOV	g, X(27)
	MOV	X28, X(28)
	MOV	X29, X(29)
	MOV	X30, X(30)
	MOV	X31, X(31)
	CSRRW	ZERO, MSCRATCH, X5	// x5 = interrupted sp; mscratch = 0 (in trap)
	MOV	X5, X(2)

	MOVD	F0, F(0)
	MOVD	F1, F(1)
	MOVD	F2, F(2)
	MOVD	F3, F(3)
	MOVD	F4, F(4)
	MOVD	F5, F(5)
	MOVD	F6, F(6)
	MOVD	F7, F(7)
	MOVD	F8, F(8)
	MOVD	F9, F(9)
	MOVD	F10, F(10)
	MOVD	F11, F(11)
	MOVD	F12, F(12)
	MOVD	F13, F(13)
	MOVD	F14, F(14)
	MOVD	F15, F(15)
	MOVD	F16, F(16)
	MOVD	F17, F(17)
	MOVD	F18, F(18)
	MOVD	F19, F(19)
	MOVD	F20, F(20)
	MOVD	F21, F(21)
	MOVD	F22, F(22)
	MOVD	F23, F(23)
	MOVD	F24, F(24)
	MOVD	F25, F(25)
	MOVD	F26, F(26)
	MOVD	F27, F(27)
	MOVD	F28, F(28)
	MOVD	F29, F(29)
	MOVD	F30, F(30)
	MOVD	F31, F(31)
	CSRRS	ZERO, FCSR, X5
	MOV	X5, bmTrapFrame_fcsr(X2)
	CSRRS	ZERO, MEPC, X5
	MOV	X5, bmTrapFrame_mepc(X2)
	CSRRS	ZERO, MCAUSE, X5
	MOV	X5, bmTrapFrame_mcause(X2)
	CSRRS	ZERO, MTVAL, X5
	MOV	X5, bmTrapFrame_mtval(X2)
	CSRRS	ZERO, MSTATUS, X5
	MOV	X5, bmTrapFrame_mstatus(X2)

	// bmTrap(f *bmTrapFrame), called through a register so the linker's
	// nosplit-chain check starts afresh at bmTrap (the trap stack is
	// ample; the linker's 800-byte budget is for goroutine stacks).
	// The callee may spill its register argument into its caller's
	// frame at 8(SP): give it 16 bytes below the trap frame.
	// g = bmTrapG, a g whose stack is the trap stack, so that runtime
	// code that checks stack bounds (the async-preemption safe-point
	// test) can run here. The interrupted g is in the frame (x27).
	MOV	X2, X10
	ADD	$-16, X2
	MOV	$runtime·bmTrapG(SB), g
	MOV	$runtime·bmTrap<ABIInternal>(SB), X5
	JALR	X1, X5
	ADD	$16, X2

	MOV	bmTrapFrame_mepc(X2), X5
	CSRRW	X5, MEPC, ZERO
	MOV	bmTrapFrame_fcsr(X2), X5
	CSRRW	X5, FCSR, ZERO
	ADD	$bmTrapFrame__size, X2, X5
	CSRRW	X5, MSCRATCH, ZERO	// trap stack free again

	MOVD	F(0), F0
	MOVD	F(1), F1
	MOVD	F(2), F2
	MOVD	F(3), F3
	MOVD	F(4), F4
	MOVD	F(5), F5
	MOVD	F(6), F6
	MOVD	F(7), F7
	MOVD	F(8), F8
	MOVD	F(9), F9
	MOVD	F(10), F10
	MOVD	F(11), F11
	MOVD	F(12), F12
	MOVD	F(13), F13
	MOVD	F(14), F14
	MOVD	F(15), F15
	MOVD	F(16), F16
	MOVD	F(17), F17
	MOVD	F(18), F18
	MOVD	F(19), F19
	MOVD	F(20), F20
	MOVD	F(21), F21
	MOVD	F(22), F22
	MOVD	F(23), F23
	MOVD	F(24), F24
	MOVD	F(25), F25
	MOVD	F(26), F26
	MOVD	F(27), F27
	MOVD	F(28), F28
	MOVD	F(29), F29
	MOVD	F(30), F30
	MOVD	F(31), F31

	MOV	X(1), X1
	MOV	X(3), X3
	MOV	X(4), TP
	MOV	X(5), X5
	MOV	X(6), X6
	MOV	X(7), X7
	MOV	X(8), X8
	MOV	X(9), X9
	MOV	X(10), X10
	MOV	X(11), X11
	MOV	X(12), X12
	MOV	X(13), X13
	MOV	X(14), X14
	MOV	X(15), X15
	MOV	X(16), X16
	MOV	X(17), X17
	MOV	X(18), X18
	MOV	X(19), X19
	MOV	X(20), X20
	MOV	X(21), X21
	MOV	X(22), X22
	MOV	X(23), X23
	MOV	X(24), X24
	MOV	X(25), X25
	MOV	X(26), X26
	MOV	X(27), g
	MOV	X(28), X28
	MOV	X(29), X29
	MOV	X(30), X30
	MOV	X(31), X31
	MOV	X(2), X2		// last: the interrupted sp
	WORD	$0x30200073		// mret

nested:
	// A trap while handling a trap: sp = 0, mscratch = handler's sp.
	MOV	$runtime·bmTrapStack(SB), X2
	MOV	$1024, X5
	ADD	X5, X2			// bottom 1 KiB of the trap stack
	MOV	$runtime·bmNestedTrap<ABIInternal>(SB), X5
	JALR	X1, X5
	JMP	nested
