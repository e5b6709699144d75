#include "textflag.h"

// func Call(fn, a0, a1 uintptr) (r, clobbered uintptr)
//
// Calls the C function at fn with a0, a1 (psABI) and returns its a0. Before
// the call s0, s1 and s2–s10 (X8, X9, X18–X26) are loaded with patterns;
// clobbered has bit i set for each of them the callee did not preserve
// (s11 is Go's g: a callee that lost it would crash the program). The
// frame is not NOSPLIT, so the stack check leaves the callee the runtime's
// guard space below it.
TEXT ·Call(SB), 0, $16-40
	MOV	$0x1008, X8
	MOV	$0x1009, X9
	MOV	$0x1018, X18
	MOV	$0x1019, X19
	MOV	$0x1020, X20
	MOV	$0x1021, X21
	MOV	$0x1022, X22
	MOV	$0x1023, X23
	MOV	$0x1024, X24
	MOV	$0x1025, X25
	MOV	$0x1026, X26
	MOV	fn+0(FP), X5
	MOV	a0+8(FP), X10
	MOV	a1+16(FP), X11
	JALR	RA, X5
	MOV	X10, r+24(FP)
	MOV	$0, X6
	MOV	$0x1008, X7
	BEQ	X8, X7, 2(PC)
	OR	$1, X6
	MOV	$0x1009, X7
	BEQ	X9, X7, 2(PC)
	OR	$2, X6
	MOV	$0x1018, X7
	BEQ	X18, X7, 2(PC)
	OR	$4, X6
	MOV	$0x1019, X7
	BEQ	X19, X7, 2(PC)
	OR	$8, X6
	MOV	$0x1020, X7
	BEQ	X20, X7, 2(PC)
	OR	$16, X6
	MOV	$0x1021, X7
	BEQ	X21, X7, 2(PC)
	OR	$32, X6
	MOV	$0x1022, X7
	BEQ	X22, X7, 2(PC)
	OR	$64, X6
	MOV	$0x1023, X7
	BEQ	X23, X7, 2(PC)
	OR	$128, X6
	MOV	$0x1024, X7
	BEQ	X24, X7, 2(PC)
	OR	$256, X6
	MOV	$0x1025, X7
	BEQ	X25, X7, 2(PC)
	OR	$512, X6
	MOV	$0x1026, X7
	BEQ	X26, X7, 2(PC)
	OR	$1024, X6
	MOV	X6, clobbered+32(FP)
	RET
