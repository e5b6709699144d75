package proc

// TrapFrame is a user thread's saved state. The runtime layer's
// bmUserFrame (kernel/rt/user.go) has the same layout; its assembly
// addresses the fields through go_asm.h, and TestTrapFrameLayout
// checks that the two structs agree field by field. Byte offsets:
//
//	  0  X[32]  x0..x31 (X[0] unused; X[2] = sp)
//	256  F[32]  f0..f31, raw 64-bit
//	512  FCSR
//	520  PC     user pc the next entry resumes at (mepc)
//	528  Cause  mcause of the last trap from U-mode
//	536  Tval   mtval of that trap (faulting address, instruction bits)
//	544  SATP   the address space to run in
//	552  KSP    kernel context while user code runs: written and read
//	560  KRA    only by the runtime layer
//	568  KG
//	576  (size)
type TrapFrame struct {
	X     [32]uint64
	F     [32]uint64
	FCSR  uint64
	PC    uint64
	Cause uint64
	Tval  uint64
	SATP  uint64
	KSP   uint64
	KRA   uint64
	KG    uint64
}

// Register numbers (RISC-V calling convention names).
const (
	RegRA = 1
	RegSP = 2
	RegA0 = 10
	RegA1 = 11
	RegA7 = 17
)

// mcause values of traps from U-mode (privileged spec v1.12, Table 3.6).
const (
	CauseInterrupt   = 1 << 63
	CauseInstAccess  = 1
	CauseIllegal     = 2
	CauseBreakpoint  = 3
	CauseLoadAccess  = 5
	CauseStoreAccess = 7
	CauseEcallU      = 8
	CauseInstPage    = 12
	CauseLoadPage    = 13
	CauseStorePage   = 15
)

// CauseName names an exception cause for reports.
func CauseName(c uint64) string {
	switch c {
	case 0:
		return "instruction address misaligned"
	case CauseInstAccess:
		return "instruction access fault"
	case CauseIllegal:
		return "illegal instruction"
	case CauseBreakpoint:
		return "breakpoint"
	case 4:
		return "load address misaligned"
	case CauseLoadAccess:
		return "load access fault"
	case 6:
		return "store address misaligned"
	case CauseStoreAccess:
		return "store access fault"
	case CauseEcallU:
		return "ecall from U-mode"
	case CauseInstPage:
		return "instruction page fault"
	case CauseLoadPage:
		return "load page fault"
	case CauseStorePage:
		return "store page fault"
	}
	return "exception"
}
