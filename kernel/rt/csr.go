//go:build copslab

package runtime

// Machine-mode CSR bits (RISC-V Privileged Architecture v1.12, §3.1).
const (
	bmMstatusMIE  = 1 << 3  // global machine interrupt enable
	bmMstatusMPIE = 1 << 7  // MIE after mret
	bmMstatusMPP  = 3 << 11 // privilege after mret; 0 = U
	bmMstatusFS   = 3 << 13 // FPU state; 3 = dirty (FPU on)

	bmMieMTIE = 1 << 7  // machine timer interrupt enable
	bmMieMEIE = 1 << 11 // machine external interrupt enable

	bmMipMTIP = 1 << 7
	bmMipMEIP = 1 << 11
)

// mcause values (Privileged Architecture v1.12, Table 3.6).
const (
	bmCauseInterrupt    = 1 << 63
	bmIntMachineSoft    = 3
	bmIntMachineTimer   = 7
	bmIntMachineExt     = 11
	bmExcInstMisaligned = 0
	bmExcInstAccess     = 1
	bmExcIllegal        = 2
	bmExcBreakpoint     = 3
	bmExcLoadMisaligned = 4
	bmExcLoadAccess     = 5
	bmExcStoreMisalign  = 6
	bmExcStoreAccess    = 7
	bmExcEcallU         = 8
	bmExcEcallM         = 11
	bmExcInstPage       = 12
	bmExcLoadPage       = 13
	bmExcStorePage      = 15
)

// Defined in csr_riscv64.s; all are NOSPLIT leaf functions.
func bmReadMstatus() uint64
func bmSetMstatus(bits uint64)
func bmClearMstatus(bits uint64)
func bmReadMie() uint64
func bmSetMie(bits uint64)
func bmClearMie(bits uint64)
func bmReadMip() uint64
func bmReadMscratch() uint64
func bmWFI()
func bmFence()

// MMIO accessors (csr_riscv64.s): plain loads and stores of the given
// width, kept in assembly so the compiler cannot merge or drop them.
func bmLoad8(addr uintptr) uint8
func bmStore8(addr uintptr, v uint8)
func bmLoad32(addr uintptr) uint32
func bmStore32(addr uintptr, v uint32)
func bmLoad64(addr uintptr) uint64
func bmStore64(addr uintptr, v uint64)

// Trap CSRs, read only by the nested-trap report (the vector saves them
// in the frame otherwise).
func bmReadMcause() uint64
func bmReadMepc() uint64
func bmReadMtval() uint64
