// Package live connects the workbench to the copslab kernel running in
// QEMU (or any gdb stub serving it): it launches QEMU from a board
// profile with its gdb stub on a free loopback port, or attaches to one;
// checks that the kernel ELF is the build that runs (the GNU build id
// note, compared byte for byte with guest memory at the note's address);
// finds everything by ELF symbol and DWARF — the trace ring
// (copslab/kernel/ktrace.Buf), the decision point
// (copslab/kernel/ktrace.(*Ring).put), the power-off function
// (runtime.bmExit), the clock (runtime.bmBoard's clint and timebase
// fields) and the line table — and reads the kernel's trace.
//
// # Streaming: how events leave the guest
//
// QEMU's stub is all-stop: memory can be read only while the hart is
// halted. The package streams by brief halts: run for a slice of wall
// time, interrupt, read the ring's header and the new records, write the
// new tail back (so the kernel's ring never fills while the reader keeps
// up), resume. The other ways considered:
//
//   - a second serial port carrying the trace (-chardev socket): QEMU's
//     virt board has one UART (dumpdtb with two -serial options still
//     lists one serial@10000000 node), so a second port means a
//     virtio-console driver in the kernel; the console UART itself is the
//     user's. Not built.
//   - the stub's non-stop mode: QEMU's system-mode stub does not offer it.
//
// On a board with a second UART the kernel's own stub can stand in for
// QEMU's (Options.Stub, kstub.go): it stops the whole kernel as QEMU's
// does, so the same brief halts run over it.
//
// What a halt costs and how much it moves is measured by
// BenchmarkStreamHalts (numbers in workbench/README.md). The ring holds
// 4096 events; a slice is 2 ms (target/qemu.go says why). A halt can
// still come late on a starved host, so the reader also keeps a
// breakpoint on ktrace's nearlyFull, which the kernel calls as its ring
// reaches three quarters: the kernel stops itself and is drained before
// it would drop anything (TestKernelStopsBeforeTheRingFills streams with
// 10 s slices and loses nothing). Every
// event the kernel had to drop is counted (RingReader.Lost) and shows as
// a sequence gap, which the model counts and the window displays.
//
// # Stopping at a decision
//
// NextDecision sets a breakpoint on (*Ring).put, continues, and on the
// hit sets a temporary breakpoint at the return address, so the event is
// in the ring when the hart stops. With no decision within the caller's
// wait it returns none if the kernel idled meanwhile (its idle counter,
// runtime.bmStats.idle, grew, or the hart is in the wfi loop), but waits
// on, up to a minute, while the kernel was busy all along: on a host that
// runs QEMU slowly the next decision can be seconds of wall time away.
// The power-off breakpoint stays set for
// the whole session, so the last events are read before QEMU exits.
//
// # Memory mode
//
// The kernel runs in machine mode on physical addresses, but a halt may
// land in a user process whose page table would refuse the ring's
// address; the package switches QEMU's stub to physical memory access
// (Qqemu.PhyMemMode:1) once connected.
//
// # Faults
//
// A vanished QEMU (killed, crashed, connection dropped) ends the session
// with a *DiedError; events read before stay with the caller. A kernel
// ELF that is not the running build is a *MismatchError naming both ids.
package live
