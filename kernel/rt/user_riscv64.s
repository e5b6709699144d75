//go:build copslab

#include "textflag.h"
#include "go_asm.h"

// Offsets into bmUserFrame (user.go) from go_asm.h.
#define UX(n) (bmUserFrame_x+8*n)(X10)
#define UF(n) (bmUserFrame_f+8*n)(X10)

// func bmUserEnter(uf uintptr)
//
// Saves the kernel goroutine's ra, sp and g in the frame, then loads the
// user's state from it and drops to U-mode with mret. It "returns" when
// bmUserTrap rewrites a U-mode trap into a jump to bmUserReturn with this
// function's ra and sp (see user.go).
TEXT ·bmUserEnter(SB),NOSPLIT|NOFRAME,$0-8
	MOV	uf+0(FP), X10
	MOV	X1, bmUserFrame_kra(X10)
	MOV	X2, bmUserFrame_ksp(X10)
	MOV	g, bmUserFrame_kg(X10)
	MOV	$const_bmMstatusMIE, X5
	CSRRC	X5, MSTATUS, ZERO	// MIE off until mret
	MOV	X10, runtime·bmUser(SB)
	MOV	$const_bmMstatusMPP, X5
	CSRRC	X5, MSTATUS, ZERO	// MPP = U
	MOV	$const_bmMstatusMPIE, X5
	CSRRS	X5, MSTATUS, ZERO	// MPIE: mret turns MIE back on
	MOV	bmUserFrame_satp(X10), X5
	CSRRW	X5, SATP, ZERO
	WORD	$0x12000073		// sfence.vma zero, zero: drop old translations
	MOV	bmUserFrame_pc(X10), X5
	CSRRW	X5, MEPC, ZERO
	MOV	bmUserFrame_fcsr(X10), X5
	CSRRW	X5, FCSR, ZERO

	MOVD	UF(0), F0
	MOVD	UF(1), F1
	MOVD	UF(2), F2
	MOVD	UF(3), F3
	MOVD	UF(4), F4
	MOVD	UF(5), F5
	MOVD	UF(6), F6
	MOVD	UF(7), F7
	MOVD	UF(8), F8
	MOVD	UF(9), F9
	MOVD	UF(10), F10
	MOVD	UF(11), F11
	MOVD	UF(12), F12
	MOVD	UF(13), F13
	MOVD	UF(14), F14
	MOVD	UF(15), F15
	MOVD	UF(16), F16
	MOVD	UF(17), F17
	MOVD	UF(18), F18
	MOVD	UF(19), F19
	MOVD	UF(20), F20
	MOVD	UF(21), F21
	MOVD	UF(22), F22
	MOVD	UF(23), F23
	MOVD	UF(24), F24
	MOVD	UF(25), F25
	MOVD	UF(26), F26
	MOVD	UF(27), F27
	MOVD	UF(28), F28
	MOVD	UF(29), F29
	MOVD	UF(30), F30
	MOVD	UF(31), F31

	MOV	UX(1), X1
	MOV	UX(2), X2
	MOV	UX(3), X3
	MOV	UX(4), TP
	MOV	UX(5), X5
	MOV	UX(6), X6
	MOV	UX(7), X7
	MOV	UX(8), X8
	MOV	UX(9), X9
	MOV	UX(11), X11
	MOV	UX(12), X12
	MOV	UX(13), X13
	MOV	UX(14), X14
	MOV	UX(15), X15
	MOV	UX(16), X16
	MOV	UX(17), X17
	MOV	UX(18), X18
	MOV	UX(19), X19
	MOV	UX(20), X20
	MOV	UX(21), X21
	MOV	UX(22), X22
	MOV	UX(23), X23
	MOV	UX(24), X24
	MOV	UX(25), X25
	MOV	UX(26), X26
	MOV	UX(27), g
	MOV	UX(28), X28
	MOV	UX(29), X29
	MOV	UX(30), X30
	MOV	UX(31), X31
	MOV	UX(10), X10		// last: the frame pointer
	WORD	$0x30200073		// mret

// func bmUserReturn()
//
// Where a trap from U-mode resumes the kernel: bmUserTrap has restored
// bmUserEnter's ra, sp and g, so this returns from bmUserEnter.
TEXT ·bmUserReturn(SB),NOSPLIT|NOFRAME,$0-0
	RET

// func bmUserPMPInit()
//
// With PMP implemented and no entry matching, every U-mode access
// (and the MMU's page-table walks for it) fails: entry 0 grants RWX on
// the whole physical address space (NAPOT, all ones); the page tables
// do the protecting. mcounteren and scounteren let U-mode read cycle, time, instret.
TEXT ·bmUserPMPInit(SB),NOSPLIT|NOFRAME,$0-0
	MOV	$-1, X5
	SRL	$10, X5
	CSRRW	X5, PMPADDR0, ZERO
	MOV	$0x1f, X5		// A = NAPOT (3<<3), X, W, R
	CSRRW	X5, PMPCFG0, ZERO
	MOV	$7, X5
	CSRRW	X5, MCOUNTEREN, ZERO
	CSRRW	X5, SCOUNTEREN, ZERO	// with S-mode present, U needs both
	RET
