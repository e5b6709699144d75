//go:build copslab

#include "textflag.h"

// func bmKgdbBreak()
//
// The kernel's gdb stub stops the kernel at this ebreak (kgdb.go), then
// resumes after it.
TEXT ·bmKgdbBreak(SB),NOSPLIT|NOFRAME,$0-0
	WORD	$0x00100073	// ebreak (4 bytes: the stub resumes at pc+4)
	RET

// func bmFenceI()
//
// Makes instruction fetch see code just written (breakpoints).
TEXT ·bmFenceI(SB),NOSPLIT|NOFRAME,$0-0
	WORD	$0x0000100f	// fence.i
	RET
