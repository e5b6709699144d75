// Package rsp is the wire layer of the GDB Remote Serial Protocol: framing,
// checksums, escaping, run-length decoding and the single-byte messages
// (acks and the interrupt byte), over any byte stream.
//
// Spec: https://sourceware.org/gdb/current/onlinedocs/gdb.html/Overview.html
// (section E.1 "Overview" of "Remote Protocol" in the GDB manual).
//
// A frame on the wire is
//
//	$<payload>#<two lowercase hex digits: sum of payload bytes mod 256>
//
// notifications use '%' instead of '$'. Outside frames the stream carries
// '+' (ack), '-' (nak, please retransmit) and the byte 0x03 (interrupt the
// running target). After QStartNoAckMode both sides stop sending acks.
//
// Layers, from the wire inwards:
//
//  1. Decoder splits the byte stream into Items (ack, nak, interrupt,
//     packet, notification) and verifies checksums. Items keep the payload
//     exactly as framed.
//  2. ExpandRLE undoes run-length encoding ("X*n" repeats X n-29 more times),
//     which stubs may use in replies.
//  3. Unescape undoes binary escaping ('}' followed by byte^0x20), used only
//     in binary payloads such as X, x and qXfer replies.
//
// Encoding goes the other way: AppendEscaped for binary data, then Frame.
// All of these are pure functions, table-tested and fuzzed. Conn puts the
// Decoder and a locked writer on one io.ReadWriter, so a TCP socket and a
// UART behave the same.
package rsp
