package client

import (
	"strings"
	"time"

	"copslab/gdbstub/rsp"
)

// Monitor runs a monitor command through qRcmd (gdb's "monitor ..."), e.g.
// QEMU's "info registers" or "info mtree", and returns its output. Stubs
// stream output as 'O' packets and end with OK; some answer with the
// hex-encoded output directly.
func (c *Client) Monitor(cmd string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	op := "monitor " + cmd
	req := []byte("qRcmd," + rsp.HexEncode([]byte(cmd)))
	reply, err := c.exchange(op, req)
	var out strings.Builder
	for err == nil {
		if e := replyError(op, req, reply); e != nil {
			return out.String(), e
		}
		if string(reply) == "OK" {
			return out.String(), nil
		}
		if reply[0] != 'O' || string(reply) == "O" {
			b, herr := rsp.HexDecode(string(reply))
			if herr != nil {
				return out.String(), protocolError(op, req, reply, "bad qRcmd reply")
			}
			out.Write(b)
			return out.String(), nil
		}
		b, herr := rsp.HexDecode(string(reply[1:]))
		if herr != nil {
			return out.String(), protocolError(op, req, reply, "bad O packet")
		}
		out.Write(b)
		t := time.NewTimer(c.opts.timeout())
		reply, err = c.recv(op, req, t.C)
		t.Stop()
	}
	return out.String(), err
}
