// Package server is the stub side of the GDB Remote Serial Protocol: it
// answers gdb's packets for a pluggable Target over any byte stream — a
// TCP connection today, a UART inside the kernel later.
//
// The contract is split as in Delve: Target is what every target must do
// (registers as the 'g' block, memory, resume/interrupt); optional
// capabilities are separate interfaces (RegisterTarget, DescribedTarget,
// BreakpointTarget, MonitorTarget, ThreadTarget, KillTarget) that the
// server discovers with type assertions, answering the empty packet
// ("unsupported") for the rest so gdb falls back on its own.
//
// Session protocol, per connection:
//
//  1. A reader goroutine decodes items from the stream (rsp.Decoder) and
//     hands them to the session loop; it is the only reader, so an
//     interrupt byte is seen even while the target runs.
//  2. The loop acks each packet (until QStartNoAckMode), dispatches it to a
//     handler and sends the reply; a '-' from gdb resends the last reply.
//  3. c, s and vCont call Target.Resume on a goroutine. Until it returns
//     the loop only reacts to 0x03 (Target.Interrupt) and a dropped
//     connection; then it sends the stop reply.
//  4. k and D end the session; so does the stream closing.
//
// ClientTarget adapts a client.Client to Target with every capability, so
// the server can front another stub (QEMU's): that is how the tests prove
// the server against a real gdb, and the base of the OS-aware proxy that
// will add the kernel's coroutines as threads through ThreadTarget.
package server
