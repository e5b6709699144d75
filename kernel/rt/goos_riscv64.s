//go:build copslab

#include "textflag.h"

// func bmReadMtvec() uint64
TEXT ·bmReadMtvec(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MTVEC, A0
	MOV	A0, ret+0(FP)
	RET

// func bmWriteMtvec(v uint64)
TEXT ·bmWriteMtvec(SB),NOSPLIT|NOFRAME,$0-8
	MOV	v+0(FP), A0
	CSRRW	A0, MTVEC, ZERO
	RET

// func bmSemihostExit(block *[2]uint64)
//
// RISC-V semihosting SYS_EXIT (a0 = 0x18, a1 = &{reason, status}): the
// magic sequence slli zero,zero,0x1f; ebreak; srai zero,zero,7. QEMU
// (-semihosting-config enable=on) exits with the status; without a
// debugger it is an ordinary breakpoint exception.
TEXT ·bmSemihostExit(SB),NOSPLIT|NOFRAME,$0-8
	MOV	block+0(FP), A1
	MOV	$0x18, A0
	WORD	$0x01f01013	// slli zero, zero, 0x1f
	WORD	$0x00100073	// ebreak
	WORD	$0x40705013	// srai zero, zero, 7
	RET
