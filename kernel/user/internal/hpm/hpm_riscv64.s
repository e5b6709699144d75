#include "textflag.h"

// func Cycles() uint64
TEXT ·Cycles(SB), NOSPLIT, $0-8
	RDCYCLE	X5
	MOV	X5, ret+0(FP)
	RET

// func Instret() uint64
TEXT ·Instret(SB), NOSPLIT, $0-8
	RDINSTRET	X5
	MOV	X5, ret+0(FP)
	RET

// func Time() uint64
TEXT ·Time(SB), NOSPLIT, $0-8
	RDTIME	X5
	MOV	X5, ret+0(FP)
	RET
