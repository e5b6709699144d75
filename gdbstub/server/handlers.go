package server

import (
	"strings"

	"copslab/gdbstub/rsp"
)

func (s *session) readRegisters() error {
	b, err := s.t.ReadRegisters()
	if err != nil {
		return s.replyErr(err)
	}
	return s.replyString(rsp.HexEncode(b))
}

func (s *session) writeRegisters(hexData []byte) error {
	b, err := rsp.HexDecode(string(hexData))
	if err != nil {
		return s.replyErr(bad("G: %v", err))
	}
	return s.replyOK(s.t.WriteRegisters(b))
}

func (s *session) readRegister(arg []byte) error {
	rt, ok := s.t.(RegisterTarget)
	if !ok {
		return s.replyString("")
	}
	n, err := rsp.ParseHexUint(string(arg))
	if err != nil || n > 1<<20 {
		return s.replyErr(bad("p: register number %q", arg))
	}
	b, err := rt.ReadRegister(int(n))
	if err != nil {
		return s.replyErr(err)
	}
	return s.replyString(rsp.HexEncode(b))
}

func (s *session) writeRegister(arg []byte) error {
	rt, ok := s.t.(RegisterTarget)
	if !ok {
		return s.replyString("")
	}
	num, val, found := strings.Cut(string(arg), "=")
	n, err := rsp.ParseHexUint(num)
	if !found || err != nil || n > 1<<20 {
		return s.replyErr(bad("P: %q", rsp.Shorten(arg, 40)))
	}
	b, err := rsp.HexDecode(val)
	if err != nil {
		return s.replyErr(bad("P: %v", err))
	}
	return s.replyOK(rt.WriteRegister(int(n), b))
}

// readMemory answers m (hex) and x (binary, reply 'b' + escaped data).
func (s *session) readMemory(cmd byte, arg []byte) error {
	addr, n, err := parseAddrLen(string(arg))
	if err != nil {
		return s.replyErr(err)
	}
	if n > MaxMemoryRead {
		n = MaxMemoryRead // the spec allows a shorter reply
	}
	b, err := s.t.ReadMemory(addr, int(n))
	if err != nil {
		return s.replyErr(err)
	}
	if cmd == 'x' {
		return s.reply(rsp.AppendEscaped([]byte{'b'}, b))
	}
	return s.replyString(rsp.HexEncode(b))
}

func (s *session) writeMemoryHex(arg []byte) error {
	head, data, err := splitData(arg)
	if err != nil {
		return s.replyErr(err)
	}
	addr, n, err := parseAddrLen(head)
	if err != nil {
		return s.replyErr(err)
	}
	b, err := rsp.HexDecode(string(data))
	if err != nil || uint64(len(b)) != n {
		return s.replyErr(bad("M: %d data bytes for length %d", len(b), n))
	}
	return s.replyOK(s.t.WriteMemory(addr, b))
}

func (s *session) writeMemoryBinary(arg []byte) error {
	head, data, err := splitData(arg)
	if err != nil {
		return s.replyErr(err)
	}
	addr, n, err := parseAddrLen(head)
	if err != nil {
		return s.replyErr(err)
	}
	b, err := rsp.Unescape(data)
	if err != nil || uint64(len(b)) != n {
		return s.replyErr(bad("X: %d data bytes for length %d", len(b), n))
	}
	if n == 0 {
		return s.replyString("OK") // gdb's probe for X support
	}
	return s.replyOK(s.t.WriteMemory(addr, b))
}

// breakpoint answers Ztype,addr,kind and ztype,addr,kind.
func (s *session) breakpoint(insert bool, arg []byte) error {
	bt, ok := s.t.(BreakpointTarget)
	if !ok {
		return s.replyString("")
	}
	kind, rest, found := strings.Cut(string(arg), ",")
	k, err := rsp.ParseHexUint(kind)
	if !found || err != nil || k > 4 {
		return s.replyErr(bad("Z: type %q", kind))
	}
	rest, _, _ = strings.Cut(rest, ";") // drop conditions
	addr, size, err := parseAddrLen(rest)
	if err != nil {
		return s.replyErr(err)
	}
	if insert {
		return s.replyOK(bt.SetBreakpoint(int(k), addr, int(size)))
	}
	return s.replyOK(bt.ClearBreakpoint(int(k), addr, int(size)))
}
