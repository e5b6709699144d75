// Package ktrace records the kernel's thread and process transitions in a
// fixed-size ring of sched.Event records, so a debugger (the workbench's
// QEMU target, plain gdb) can read what the kernel scheduled without the
// kernel printing anything.
//
// # Where the ring lives
//
// The ring is the package variable Buf. Its ELF symbol is Symbol
// ("copslab/kernel/ktrace.Buf"): a reader finds its address and size in
// the kernel ELF's symbol table, never by a hard-coded address. The ring
// contains no Go pointers, so it lives in .noptrbss and the garbage
// collector never moves or scans it.
//
// # Byte layout (little-endian; ring_test.go checks it against unsafe.Offsetof)
//
//	off   size   field
//	0     4      Magic      "KTRC" = 0x4352544B
//	4     2      Version    Version
//	6     2      Size       number of event slots (a power of two)
//	8     2      EventSize  sched.EventSize (40)
//	10    6      -
//	16    8      Seq        sequence number of the next event
//	24    8      Tail       sequence number of the oldest event still in the ring
//	32    8      Overflow   events dropped because the ring was full
//	40    8      Clock      1 once a clock is set (Time is ns since boot from mtime), else 0
//	48    16     -
//	64    40×N   Events     sched.Event records; event s is at Events[s % Size]
//
// # Who writes what
//
// The kernel appends: if the ring is full it first advances Tail and
// counts the dropped event in Overflow, then writes the record (its Seq
// field last among the record's own fields), then advances Seq. So a
// reader that halts the hart at any instruction sees [Tail, Seq) fully
// written records, and can check each record's Seq. A reader drains by
// reading [Tail, Seq) and writing Seq into Tail while the hart is halted
// (the workbench does this through the gdb stub). Events lost to a slow
// reader show up twice: in Overflow and as a gap in Seq. As the fill
// reaches three quarters (NearlyFull), put calls the empty, out-of-line
// nearlyFull (ELF symbol NearlyFullSymbol): a reader that breaks there
// drains the ring before anything is dropped, however late its own halt.
//
// # The thread table
//
// Table (ELF symbol TableSymbol, layout in table.go) holds every live
// thread's id, process, name, state, priority and the address of its saved
// registers, so a debugger that attaches at any time lists the threads
// without replaying (or draining) the ring.
//
// # The decision point
//
// Every event passes through the out-of-line method (*Ring).put (ELF
// symbol PutSymbol). A debugger that wants to stop at the next scheduling
// decision breaks there, and finds the event in the ring once put returns.
//
// # What is recorded
//
// Threads are the coroutines of this trace (Kind sched.KindUser, Co = the
// thread id, Proc = the process id, Prio = nice mapped to 0..7). The
// transitions follow the sched state machine:
//
//	Spawn   Created → Ready      (a process's first thread, clone, fork, exec)
//	Place   Ready → Running      (the run loop switches to the thread; the one
//	        Running → Ready       it switches away from: yield, or preempt after a tick)
//	Block   Running → Blocked    (futex, sleep, poll, read, pipe, wait)
//	Wake    Blocked → Ready      (wake with the waking thread, timer, or input/condition)
//	Exit    * → Exited           (exit, exit_group, kill, fault, exec)
//	SetPrio priority change      (setpriority; Arg = the old priority)
//
// The kernel makes these calls from one place, the scheduling seam's
// trace (kernel/proc/sched.go). A process is created with its first
// thread's Spawn and ends with its last thread's Exit. The package keeps each thread's traced state, so a
// call that is not a transition (waking a thread that is not blocked)
// records nothing.
package ktrace
