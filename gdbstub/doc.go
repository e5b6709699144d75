// Package gdbstub is the home of copslab's GDB Remote Serial Protocol
// code; the work is done in its subpackages. See README.md for the essay
// (spec links, terminology, supported packets).
//
//	rsp      the wire: framing, checksums, escaping, run-length, acks
//	tdesc    target descriptions (target.xml) → register layout
//	client   drives a stub (QEMU's, or ours over a UART)
//	server   answers gdb for a pluggable Target
//	proxy    sits between gdb and a stub and logs every packet pair
//	testprog a bare-metal RISC-V loop for the tests
package gdbstub
