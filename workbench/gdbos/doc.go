// Package gdbos is the OS-aware side of `copslab gdbproxy --kernel ELF`:
// plain gdb connected through the proxy sees the kernel's threads as gdb
// threads.
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
// Anything else — breakpoints, stepping, continue, memory of the hart —
// passes through unchanged; a resume goes back to the hart's own view.
// The stub is switched to physical memory access (QEMU's
// Qqemu.PhyMemMode), so kernel addresses read the same whatever mode the
// hart was halted in.
package gdbos
