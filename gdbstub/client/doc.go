// Package client drives a GDB Remote Serial Protocol stub: QEMU's built-in
// one today, the kernel's own over a UART later.
//
// Spec: https://sourceware.org/gdb/current/onlinedocs/gdb.html/Remote-Protocol.html
//
// Design. One goroutine (readLoop) is the only reader of the connection:
// it acknowledges packets while in ack mode, answers corrupt frames with a
// nak, and passes acks and run-length-expanded payloads to whichever call
// waits. Calls are serialized by a mutex, because the protocol allows one
// outstanding request; each has a deadline (Options.Timeout). The three
// ways an exchange ends are kept apart:
//
//  1. a reply: classified as normal, empty (ErrUnsupported) or Exx
//     (ErrRemote);
//  2. the connection dropping: the reader closes Done, and every waiting
//     and later call returns ErrClosed at once — a killed QEMU never
//     leaves a call hanging;
//  3. the deadline: ErrTimeout. The reply may still come and would be
//     taken for the next request's, so the client refuses further
//     requests (ErrDesync) instead of guessing.
//
// Run control is split in two: Continue/Resume send the packet and return;
// Wait collects the stop reply (and passes 'O' output to Options.Console).
// In between only Interrupt and Wait are accepted (ErrRunning otherwise),
// since an all-stop stub answers nothing while the target runs.
//
// Capabilities are probed, not assumed: qSupported at connect
// (PacketSize, QStartNoAckMode, qXfer:features:read), binary x/X on first
// use with a fallback to m/M, vCont? before vCont. Registers are found by
// the names in the stub's target description (package tdesc), never by a
// hard-coded table.
package client
