#include "textflag.h"

// func entry()
// The hart starts here in machine mode with no stack. It never returns.
TEXT ·entry(SB), NOSPLIT|NOFRAME, $0-0
	MOV	$0, X10          // a0 counts loop iterations, for the stepping tests
loop:
	CALL	·tick(SB)
	ADD	$1, X10, X10
	MOV	$·scratch(SB), X5
	MOV	X10, (X5)        // scratch[0] = a0, so memory-write tests can see it overwritten
	JMP	loop

// func tick()
// Leaf function: counter++ using t0/t1 only.
TEXT ·tick(SB), NOSPLIT|NOFRAME, $0-0
	MOV	$·counter(SB), X5
	MOV	(X5), X6
	ADD	$1, X6, X6
	MOV	X6, (X5)
	RET
