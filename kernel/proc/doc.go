// Package proc is the machine-independent half of user processes: a
// process's Sv39 address space (kernel/vm page table plus the frames it
// owns), ELF loading, user-memory access that validates every pointer
// (CopyIn/CopyOut return ErrFault, never fault the kernel), the saved
// register file (TrapFrame) and the system calls served to user code.
//
// The other half, entering U-mode and getting back on a trap, lives in
// the runtime layer (kernel/rt/user.go, user_riscv64.s); the kernel's
// main package (kernel/kmain/user.go) joins the two in its run loop.
// Everything here runs on the host too, over simulated RAM, so it is
// tested with go test without QEMU.
package proc
