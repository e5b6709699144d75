//go:build copslab

// Its presence lets hw.go declare functions without bodies; rdinstret
// is defined here.

#include "textflag.h"

// func rdinstret() uint64: instructions retired (M-mode reads it
// directly; under QEMU -icount it counts instructions exactly).
TEXT ·rdinstret(SB),NOSPLIT|NOFRAME,$0-8
	CSRRS	ZERO, INSTRET, A0
	MOV	A0, ret+0(FP)
	RET
