//go:build copslab

#include "textflag.h"

// func load8(addr uint64) byte
TEXT ·load8(SB),NOSPLIT|NOFRAME,$0-9
	MOV	addr+0(FP), A0
	MOVBU	(A0), A1
	MOVB	A1, ret+8(FP)
	RET

// func store8(addr uint64, v byte)
TEXT ·store8(SB),NOSPLIT|NOFRAME,$0-9
	MOV	addr+0(FP), A0
	MOVBU	v+8(FP), A1
	MOVB	A1, (A0)
	RET
