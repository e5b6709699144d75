//go:build copslab

#include "textflag.h"
#include "go_asm.h"

// Stacks are Go arrays (entry.go); rt0_go carves m0's g0 stack (64 KiB)
// out of the boot stack.
#define BOOTSTACK const_bmBootStackSize
#define TRAPSTACK const_bmTrapStackSize

// CLINT mtime register (QEMU virt default; only used for the seed below).
#define MTIME 0x200bff8

// func _rt0_riscv64_copslab()
//
// Hwinit0: first code run, reached from the boot stub with a0 = hart id,
// a1 = FDT address. The board's boot hart (bmBootHart: 0 on virt, 1 on
// sifive_u, whose hart 0 has no FPU) installs the trap vector, turns the
// FPU on, builds a Linux-style argv/envp/auxv and enters the runtime's
// rt0_go; every other hart parks.
TEXT _rt0_riscv64_copslab(SB),NOSPLIT|NOFRAME|TOPFRAME,$0
	MOV	$const_bmBootHart, T0
	BNE	A0, T0, park
	MOV	A1, runtime·bmFDT(SB)

	MOV	$runtime·bmTrapVector(SB), T0
	CSRRW	T0, MTVEC, ZERO
	MOV	$runtime·bmTrapStack(SB), T0
	MOV	$TRAPSTACK, T1
	ADD	T1, T0
	CSRRW	T0, MSCRATCH, ZERO

	// Interrupts stay off until copslabHwinit1; mie.MTIE is set so that
	// wfi in the idle loop wakes at the programmed mtimecmp.
	CSRRW	ZERO, MIE, ZERO
	MOV	$const_bmMieMTIE, T0
	CSRRS	T0, MIE, ZERO
	MOV	$const_bmMstatusMIE, T0
	CSRRC	T0, MSTATUS, ZERO
	MOV	$const_bmMstatusFS, T0
	CSRRS	T0, MSTATUS, ZERO	// FPU on (mstatus.FS = dirty)
	CSRRW	ZERO, FCSR, ZERO

	// Seed AT_RANDOM from mtime (the runtime's hash seeds).
	MOV	$MTIME, T0
	MOV	(T0), T1
	MOV	$bmRandom<>(SB), T2
	MOV	T1, 0(T2)
	MOV	$0x9e3779b97f4a7c15, T3
	MUL	T3, T1
	MOV	T1, 8(T2)

	MOV	$runtime·bmBootStack(SB), X2
	MOV	$BOOTSTACK, T0
	ADD	T0, X2
	MOV	$1, A0			// argc
	MOV	$bmArgv<>(SB), A1	// argv
	MOV	$runtime·rt0_go(SB), T0
	JALR	ZERO, T0

park:
	// Secondary harts: no interrupts, sleep forever.
	CSRRW	ZERO, MIE, ZERO
	MOV	$const_bmMstatusMIE, T0
	CSRRC	T0, MSTATUS, ZERO
parkloop:
	WORD	$0x10500073	// wfi
	JMP	parkloop

// argv for the runtime: {"kernel", NULL}, envp {NULL}, auxv.
DATA bmArgv<>+0(SB)/8, $bmArgv0<>(SB)
DATA bmArgv<>+8(SB)/8, $0
DATA bmArgv<>+16(SB)/8, $0
DATA bmArgv<>+24(SB)/8, $6		// AT_PAGESZ
DATA bmArgv<>+32(SB)/8, $4096
DATA bmArgv<>+40(SB)/8, $25		// AT_RANDOM
DATA bmArgv<>+48(SB)/8, $bmRandom<>(SB)
DATA bmArgv<>+56(SB)/8, $0		// AT_NULL
DATA bmArgv<>+64(SB)/8, $0
GLOBL bmArgv<>(SB), NOPTR, $72

DATA bmArgv0<>+0(SB)/8, $"kernel\x00\x00"
GLOBL bmArgv0<>(SB), RODATA, $8

GLOBL bmRandom<>(SB), NOPTR, $16
