#include "textflag.h"

// func cycles() uint64
TEXT ·cycles(SB), NOSPLIT, $0-8
	RDCYCLE	X5
	MOV	X5, ret+0(FP)
	RET

// func instret() uint64
TEXT ·instret(SB), NOSPLIT, $0-8
	RDINSTRET	X5
	MOV	X5, ret+0(FP)
	RET
