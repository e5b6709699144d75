package server

import (
	"bytes"
	"fmt"
	"strings"

	"copslab/gdbstub/rsp"
)

// errBadPacket answers malformed packets with E16 (EINVAL's number in
// gdb's File-I/O errno list is 22 = 0x16).
type errBadPacket struct{ msg string }

func (e errBadPacket) Error() string { return "malformed packet: " + e.msg }
func (e errBadPacket) Errno() int    { return 0x16 }

func bad(format string, args ...any) error { return errBadPacket{fmt.Sprintf(format, args...)} }

// dispatch answers one packet.
func (s *session) dispatch(p []byte) error {
	if len(p) == 0 {
		return s.replyString("")
	}
	switch p[0] {
	case '?':
		return s.haltReason()
	case 'g':
		return s.readRegisters()
	case 'G':
		return s.writeRegisters(p[1:])
	case 'p':
		return s.readRegister(p[1:])
	case 'P':
		return s.writeRegister(p[1:])
	case 'm', 'x':
		return s.readMemory(p[0], p[1:])
	case 'M':
		return s.writeMemoryHex(p[1:])
	case 'X':
		return s.writeMemoryBinary(p[1:])
	case 'Z', 'z':
		return s.breakpoint(p[0] == 'Z', p[1:])
	case 'c', 'C':
		return s.resume(false)
	case 's', 'S':
		return s.resume(true)
	case 'H':
		return s.selectThread(p[1:])
	case 'T':
		return s.threadAlive(string(p[1:]))
	case 'k':
		return s.kill()
	case 'D':
		s.ending = true
		return s.replyString("OK")
	case 'q', 'Q':
		return s.query(string(p))
	case 'v':
		return s.vPacket(string(p))
	}
	return s.replyString("")
}

// query answers q and Q packets.
func (s *session) query(p string) error {
	name, args, _ := strings.Cut(p, ":")
	switch {
	case name == "qSupported":
		return s.replyString(s.supported())
	case p == "QStartNoAckMode":
		err := s.replyString("OK")
		s.conn.SetNoAck(true)
		return err
	case p == "qAttached":
		return s.replyString("1")
	case p == "qC":
		return s.currentThread()
	case p == "qfThreadInfo":
		return s.threadInfo(true)
	case p == "qsThreadInfo":
		return s.threadInfo(false)
	case strings.HasPrefix(p, "qThreadExtraInfo,"):
		return s.threadExtra(strings.TrimPrefix(p, "qThreadExtraInfo,"))
	case strings.HasPrefix(p, "qRcmd,"):
		return s.monitor(strings.TrimPrefix(p, "qRcmd,"))
	case name == "qXfer":
		return s.xfer(args)
	case p == "qSymbol::":
		return s.replyString("OK")
	}
	return s.replyString("")
}

// supported builds the qSupported reply from the target's capabilities.
func (s *session) supported() string {
	f := []string{fmt.Sprintf("PacketSize=%x", PacketSize), "QStartNoAckMode+", "vContSupported+"}
	if _, ok := s.t.(DescribedTarget); ok {
		f = append(f, "qXfer:features:read+")
	}
	return strings.Join(f, ";")
}

// vPacket answers v packets.
func (s *session) vPacket(p string) error {
	switch {
	case p == "vCont?":
		return s.replyString("vCont;c;C;s;S")
	case strings.HasPrefix(p, "vCont;"):
		return s.vCont(strings.TrimPrefix(p, "vCont;"))
	case p == "vMustReplyEmpty":
		return s.replyString("")
	case strings.HasPrefix(p, "vKill"):
		if err := s.kill(); err != nil {
			return err
		}
		return s.replyString("OK") // vKill is answered (unlike k)
	}
	return s.replyString("")
}

// vCont runs the first action; this all-stop server resumes the whole
// target, so per-thread actions select only between step and continue.
func (s *session) vCont(actions string) error {
	first, _, _ := strings.Cut(actions, ";")
	act, _, _ := strings.Cut(first, ":")
	switch {
	case act == "c" || strings.HasPrefix(act, "C"):
		return s.resume(false)
	case act == "s" || strings.HasPrefix(act, "S"):
		return s.resume(true)
	}
	return s.replyErr(bad("vCont action %q", act))
}

// xfer answers qXfer:features:read:annex:offset,length.
func (s *session) xfer(args string) error {
	parts := strings.SplitN(args, ":", 4)
	if len(parts) != 4 || parts[0] != "features" || parts[1] != "read" {
		return s.replyString("")
	}
	d, ok := s.t.(DescribedTarget)
	if !ok {
		return s.replyString("")
	}
	off, n, err := parseAddrLen(parts[3])
	if err != nil {
		return s.replyErr(err)
	}
	doc, err := d.TargetXML(parts[2])
	if err != nil {
		return s.replyErr(err)
	}
	if off >= uint64(len(doc)) {
		return s.replyString("l")
	}
	chunk := doc[off:min(uint64(len(doc)), off+min(n, PacketSize/2))]
	kind := byte('m')
	if off+uint64(len(chunk)) == uint64(len(doc)) {
		kind = 'l'
	}
	return s.reply(rsp.AppendEscaped([]byte{kind}, chunk))
}

func (s *session) monitor(hexCmd string) error {
	m, ok := s.t.(MonitorTarget)
	if !ok {
		return s.replyString("")
	}
	cmd, err := rsp.HexDecode(hexCmd)
	if err != nil {
		return s.replyErr(bad("qRcmd: %v", err))
	}
	out, err := m.Monitor(string(cmd))
	if err != nil {
		return s.replyErr(err)
	}
	for rest := []byte(out); len(rest) > 0; {
		n := min(len(rest), PacketSize/4)
		if err := s.conn.WritePacket([]byte("O" + rsp.HexEncode(rest[:n]))); err != nil {
			return err
		}
		rest = rest[n:]
	}
	return s.replyString("OK")
}

func (s *session) kill() error {
	s.ending = true
	if k, ok := s.t.(KillTarget); ok {
		return k.Kill() // no reply: the target is gone
	}
	return nil
}

// parseAddrLen parses "addr,len".
func parseAddrLen(s string) (uint64, uint64, error) {
	a, l, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, bad("want addr,length in %q", rsp.Shorten([]byte(s), 40))
	}
	addr, err := rsp.ParseHexUint(a)
	if err != nil {
		return 0, 0, bad("%v", err)
	}
	n, err := rsp.ParseHexUint(l)
	if err != nil {
		return 0, 0, bad("%v", err)
	}
	return addr, n, nil
}

// splitData splits "addr,len:data" at the first colon.
func splitData(p []byte) (string, []byte, error) {
	i := bytes.IndexByte(p, ':')
	if i < 0 {
		return "", nil, bad("missing ':' in %q", rsp.Shorten(p, 40))
	}
	return string(p[:i]), p[i+1:], nil
}
