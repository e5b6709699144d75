// Package gdbos is the OS-aware side of `copslab gdbproxy --kernel ELF`:
// plain gdb connected through the proxy sees the kernel's threads and
// coroutines as gdb threads.
//
// The proxy is a gdbstub/server session whose target wraps
// server.ClientTarget (every request goes on to QEMU's stub unchanged)
// and adds what only the kernel knows, read from the kernel's thread
// table (kernel/ktrace, found by its ELF symbol) each time gdb asks:
//
//   - qfThreadInfo lists thread 1, the hart itself (whatever it runs now,
//     as QEMU shows it), and one gdb thread per live kernel thread, id =
//     kernel tid + 1;
//   - qThreadExtraInfo says "pid 1 (threads) tid 3 Blocked prio 4";
//   - after `thread N` (Hg), the registers are the thread's saved ones
//     (its kernel/proc.TrapFrame: x0..x31 and pc, offsets from DWARF) and
//     memory below the kernel is read through the thread's own page
//     table (its saved satp, Sv39 walked here), so `bt` unwinds the
//     thread's user stack (with the user program's symbols loaded:
//     add-symbol-file). Writing a saved thread's registers is refused.
//
// After the threads come the coroutines (coroutines.go): the kernel's own
// (main.kernelLocal: console driver, timer queue, the process scheduler)
// and those of every process with a Local (main.copsGlobal names each
// Local's kernel address), read once per halt and decoded with sched's
// checking decoders, gdb ids from 2^30 up:
//
//   - qThreadExtraInfo says "coroutine 0x4200 of pid 2 (copsplace)
//     Running prio 2 user on tid 2" or "kernel coroutine 0x4001 Blocked
//     prio 0 kernel-syscall (console driver): not running, no stack of
//     its own";
//   - `thread N` + `bt` of a Running user coroutine unwinds its process's
//     running thread (the executor calling the coroutine's step), of a
//     Running kernel coroutine the hart; a coroutine that is not running
//     has no stack, its registers read as 0 and gdb shows the one frame
//     "#0 0x0000000000000000 in ?? ()".
//
// Anything else — breakpoints, stepping, continue, memory of the hart —
// passes through unchanged; a resume goes back to the hart's own view.
// The stub is switched to physical memory access (QEMU's
// Qqemu.PhyMemMode), so kernel addresses read the same whatever mode the
// hart was halted in.
package gdbos
