package rsp

import (
	"encoding/hex"
	"fmt"
	"strconv"
)

const hexDigits = "0123456789abcdef"

func appendHexByte(dst []byte, b byte) []byte {
	return append(dst, hexDigits[b>>4], hexDigits[b&15])
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func parseHexByte(hi, lo byte) (byte, bool) {
	h, ok1 := unhex(hi)
	l, ok2 := unhex(lo)
	return h<<4 | l, ok1 && ok2
}

// HexEncode returns the lowercase hex digits of p, as used by m, M, g, qRcmd.
func HexEncode(p []byte) string { return hex.EncodeToString(p) }

// HexDecode decodes hex digits (either case).
func HexDecode(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("rsp: bad hex data %q: %w", shortenString(s, 40), err)
	}
	return b, nil
}

// ParseHexUint parses a big-endian hex number such as an address or a
// register number.
func ParseHexUint(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("rsp: empty hex number")
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("rsp: bad hex number %q", shortenString(s, 40))
	}
	return v, nil
}

// Shorten renders p for logs and errors: printable bytes as themselves,
// others as \xNN, cut to at most n bytes of input with a "...(+k)" suffix.
func Shorten(p []byte, n int) string {
	cut := 0
	if len(p) > n {
		cut, p = len(p)-n, p[:n]
	}
	out := make([]byte, 0, len(p)+8)
	for _, b := range p {
		if b >= 0x20 && b < 0x7f {
			out = append(out, b)
			continue
		}
		out = append(out, '\\', 'x')
		out = appendHexByte(out, b)
	}
	if cut > 0 {
		out = fmt.Appendf(out, "...(+%d)", cut)
	}
	return string(out)
}

func shortenString(s string, n int) string { return Shorten([]byte(s), n) }
