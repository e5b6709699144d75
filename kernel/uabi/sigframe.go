package uabi

// The riscv64 signal frame, as arch/riscv/kernel/signal.c builds it
// (struct rt_sigframe) from include/uapi/asm-generic/siginfo.h,
// arch/riscv/include/uapi/asm/ucontext.h, sigcontext.h and ptrace.h:
//
//	frame = (sp - SigframeSize) &^ 15        (on the alt stack if SA_ONSTACK)
//	+0     siginfo (128 bytes)               a1 points here
//	         +0 si_signo  +4 si_errno  +8 si_code  +16 si_addr / si_pid
//	+128   ucontext                          a2 points here
//	         +0   uc_flags
//	         +8   uc_link
//	         +16  uc_stack   (stack_t: ss_sp, ss_flags, ss_size)
//	         +40  uc_sigmask (8 bytes; room for 128 reserved)
//	         +176 uc_mcontext (struct sigcontext, 16-aligned)
//	                +0   sc_regs: pc, then x1..x31 (8 bytes each)
//	                +256 sc_fpregs: f0..f31 (8 bytes each), fcsr (4),
//	                     padding to the 528-byte __riscv_fp_state union
//	+1088  end
//
// On entry to the handler: pc = handler, a0 = signo, a1 = &info, a2 = &uc,
// sp = frame, ra = the rt_sigreturn trampoline (`li a7, 139; ecall`, in the
// vDSO on Linux: the kernel must map one for each process). rt_sigreturn
// reads sigmask and every register (pc included) back from uc at sp+128, so
// a handler may change where the thread resumes — the Go runtime does that to
// inject sigpanic (nil dereference → panic) and asyncPreempt (SIGURG).
const (
	SiginfoSize = 128

	SiSigno  = 0  // int32
	SiErrno  = 4  // int32
	SiCode   = 8  // int32
	SiAddr   = 16 // uint64: faulting address for SIGSEGV/SIGBUS/SIGILL/SIGFPE
	SiPid    = 16 // int32: sender for kill/tgkill, child for SIGCHLD
	SiUID    = 20 // uint32
	SiStatus = 24 // int32: exit status for SIGCHLD

	// stack_t (include/uapi/asm-generic/signal.h).
	StackSp    = 0
	StackFlags = 8
	StackSize  = 16
	StackTSize = 24

	// kernel struct sigaction without sa_restorer (asm-generic/signal.h).
	SaHandler     = 0
	SaFlags       = 8
	SaMask        = 16
	SigactionSize = 24

	UcFlags      = 0
	UcLink       = 8
	UcStack      = 16
	UcSigmask    = 40
	UcMcontext   = 176
	UcontextSize = UcMcontext + SigcontextSize

	ScRegs         = 0   // user_regs_struct: pc, x1..x31
	ScFpregs       = 256 // __riscv_fp_state, D extension view: f[32] uint64, fcsr uint32
	ScFcsr         = ScFpregs + 32*8
	FpStateSize    = 528
	SigcontextSize = ScFpregs + FpStateSize

	// SigframeInfo and SigframeUc are the offsets of siginfo and ucontext in
	// struct rt_sigframe; SigframeSize is its size (16-byte multiple).
	SigframeInfo = 0
	SigframeUc   = SiginfoSize
	SigframeSize = SigframeUc + UcontextSize
)

// ScReg returns the offset of register x<n> (n in 1..31) in sc_regs, and of
// pc for n == 0, relative to the start of struct sigcontext.
func ScReg(n int) int { return ScRegs + 8*n }

// ScFreg returns the offset of f<n> in struct sigcontext.
func ScFreg(n int) int { return ScFpregs + 8*n }

// FrameReg returns the offset of x<n> (pc for 0) from the start of the
// rt_sigframe, the address the kernel must read on rt_sigreturn.
func FrameReg(n int) int { return SigframeUc + UcMcontext + ScReg(n) }

// RISC-V register numbers used in the ABI (x<n>).
const (
	RegRA = 1
	RegSP = 2
	RegGP = 3
	RegTP = 4
	RegA0 = 10
	RegA1 = 11
	RegA2 = 12
	RegA7 = 17
)
