package rsp

import (
	"errors"
	"fmt"
)

// Byte values with a meaning on the wire.
const (
	StartPacket       = '$'
	StartNotification = '%'
	EndPacket         = '#'
	Ack               = '+'
	Nak               = '-'
	Interrupt         = 0x03
	EscapeByte        = '}'
	RepeatByte        = '*'
	escapeXor         = 0x20
	rleBias           = 29 // a repeat count n is sent as the character n+29
)

// Errors of the codec functions.
var (
	ErrTrailingEscape = errors.New("rsp: escape byte at end of data")
	ErrBadRepeat      = errors.New("rsp: bad run-length repeat")
	ErrTooLong        = errors.New("rsp: packet too long")
	ErrBadFrame       = errors.New("rsp: malformed frame")
)

// ChecksumError reports a frame whose checksum does not match its payload.
type ChecksumError struct {
	Payload  []byte
	Got, Sum byte // Got is the transmitted checksum, Sum the computed one
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("rsp: checksum mismatch: frame says %02x, payload sums to %02x (%s)",
		e.Got, e.Sum, Shorten(e.Payload, DefaultLogBytes))
}

// Checksum is the modulo-256 sum of the bytes of p.
func Checksum(p []byte) byte {
	var s byte
	for _, b := range p {
		s += b
	}
	return s
}

// needsEscape reports whether b must be escaped inside binary data.
func needsEscape(b byte) bool {
	return b == StartPacket || b == EndPacket || b == EscapeByte || b == RepeatByte
}

// AppendEscaped appends data to dst with the framing bytes escaped.
func AppendEscaped(dst, data []byte) []byte {
	for _, b := range data {
		if needsEscape(b) {
			dst = append(dst, EscapeByte, b^escapeXor)
			continue
		}
		dst = append(dst, b)
	}
	return dst
}

// Unescape decodes binary escapes. It returns a new slice.
func Unescape(p []byte) ([]byte, error) {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] != EscapeByte {
			out = append(out, p[i])
			continue
		}
		if i+1 == len(p) {
			return nil, ErrTrailingEscape
		}
		i++
		out = append(out, p[i]^escapeXor)
	}
	return out, nil
}

// ExpandRLE undoes run-length encoding: "c*n" stands for c followed by
// n-29 further copies of c. It returns a new slice.
func ExpandRLE(p []byte) ([]byte, error) {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] != RepeatByte {
			out = append(out, p[i])
			continue
		}
		if len(out) == 0 || i+1 == len(p) {
			return nil, fmt.Errorf("%w at offset %d", ErrBadRepeat, i)
		}
		i++
		n := int(p[i]) - rleBias
		if n < 0 || p[i] > 126 {
			return nil, fmt.Errorf("%w: count byte %#x at offset %d", ErrBadRepeat, p[i], i)
		}
		if len(out)+n > MaxExpanded {
			return nil, ErrTooLong
		}
		c := out[len(out)-1]
		for ; n > 0; n-- {
			out = append(out, c)
		}
	}
	return out, nil
}

// Frame returns payload framed as a packet: $payload#cs. The payload must
// already be escaped if it carries binary data.
func Frame(payload []byte) []byte {
	return frame(StartPacket, payload)
}

// FrameNotification returns payload framed as a notification: %payload#cs.
func FrameNotification(payload []byte) []byte {
	return frame(StartNotification, payload)
}

func frame(start byte, payload []byte) []byte {
	out := make([]byte, 0, len(payload)+4)
	out = append(out, start)
	out = append(out, payload...)
	out = append(out, EndPacket)
	return appendHexByte(out, Checksum(payload))
}

// ParseFrame decodes one complete frame ($...#xx or %...#xx) and returns its
// payload (still escaped and run-length encoded) and whether it was a
// notification.
func ParseFrame(f []byte) (payload []byte, notification bool, err error) {
	if len(f) < 4 || (f[0] != StartPacket && f[0] != StartNotification) || f[len(f)-3] != EndPacket {
		return nil, false, fmt.Errorf("%w: %s", ErrBadFrame, Shorten(f, DefaultLogBytes))
	}
	payload = f[1 : len(f)-3]
	got, ok := parseHexByte(f[len(f)-2], f[len(f)-1])
	if !ok {
		return nil, false, fmt.Errorf("%w: checksum digits %q", ErrBadFrame, f[len(f)-2:])
	}
	if sum := Checksum(payload); sum != got {
		return nil, false, &ChecksumError{Payload: payload, Got: got, Sum: sum}
	}
	return payload, f[0] == StartNotification, nil
}
