//go:build copslab

#include "textflag.h"

// func bmReadMstatus() uint64
TEXT ·bmReadMstatus(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MSTATUS, A0
	MOV	A0, ret+0(FP)
	RET

// func bmSetMstatus(bits uint64)
TEXT ·bmSetMstatus(SB),NOSPLIT|NOFRAME,$0-8
	MOV	bits+0(FP), A0
	CSRRS	A0, MSTATUS, ZERO
	RET

// func bmClearMstatus(bits uint64)
TEXT ·bmClearMstatus(SB),NOSPLIT|NOFRAME,$0-8
	MOV	bits+0(FP), A0
	CSRRC	A0, MSTATUS, ZERO
	RET

// func bmReadMie() uint64
TEXT ·bmReadMie(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MIE, A0
	MOV	A0, ret+0(FP)
	RET

// func bmSetMie(bits uint64)
TEXT ·bmSetMie(SB),NOSPLIT|NOFRAME,$0-8
	MOV	bits+0(FP), A0
	CSRRS	A0, MIE, ZERO
	RET

// func bmClearMie(bits uint64)
TEXT ·bmClearMie(SB),NOSPLIT|NOFRAME,$0-8
	MOV	bits+0(FP), A0
	CSRRC	A0, MIE, ZERO
	RET

// func bmReadMip() uint64
TEXT ·bmReadMip(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MIP, A0
	MOV	A0, ret+0(FP)
	RET

// func bmReadMscratch() uint64
TEXT ·bmReadMscratch(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MSCRATCH, A0
	MOV	A0, ret+0(FP)
	RET

// func bmWFI()
TEXT ·bmWFI(SB),NOSPLIT|NOFRAME,$0-0
	WORD	$0x10500073	// wfi (no Go mnemonic)
	RET

// func bmFence()
TEXT ·bmFence(SB),NOSPLIT|NOFRAME,$0-0
	FENCE
	RET

// func bmLoad8(addr uintptr) uint8
TEXT ·bmLoad8(SB),NOSPLIT|NOFRAME,$0-9
	MOV	addr+0(FP), A0
	MOVBU	(A0), A1
	MOVB	A1, ret+8(FP)
	RET

// func bmStore8(addr uintptr, v uint8)
TEXT ·bmStore8(SB),NOSPLIT|NOFRAME,$0-9
	MOV	addr+0(FP), A0
	MOVBU	v+8(FP), A1
	MOVB	A1, (A0)
	RET

// func bmLoad32(addr uintptr) uint32
TEXT ·bmLoad32(SB),NOSPLIT|NOFRAME,$0-12
	MOV	addr+0(FP), A0
	MOVWU	(A0), A1
	MOVW	A1, ret+8(FP)
	RET

// func bmStore32(addr uintptr, v uint32)
TEXT ·bmStore32(SB),NOSPLIT|NOFRAME,$0-12
	MOV	addr+0(FP), A0
	MOVWU	v+8(FP), A1
	MOVW	A1, (A0)
	RET

// func bmLoad64(addr uintptr) uint64
TEXT ·bmLoad64(SB),NOSPLIT|NOFRAME,$0-16
	MOV	addr+0(FP), A0
	MOV	(A0), A1
	MOV	A1, ret+8(FP)
	RET

// func bmStore64(addr uintptr, v uint64)
TEXT ·bmStore64(SB),NOSPLIT|NOFRAME,$0-16
	MOV	addr+0(FP), A0
	MOV	v+8(FP), A1
	MOV	A1, (A0)
	RET

// func bmReadMcause() uint64
TEXT ·bmReadMcause(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MCAUSE, A0
	MOV	A0, ret+0(FP)
	RET

// func bmReadMepc() uint64
TEXT ·bmReadMepc(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MEPC, A0
	MOV	A0, ret+0(FP)
	RET

// func bmReadMtval() uint64
TEXT ·bmReadMtval(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, MTVAL, A0
	MOV	A0, ret+0(FP)
	RET
