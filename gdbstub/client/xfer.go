package client

import (
	"fmt"

	"copslab/gdbstub/rsp"
	"copslab/gdbstub/tdesc"
)

// maxXfer bounds an object read with qXfer, against a stub that never
// says 'l' (last chunk).
const maxXfer = 4 << 20

// ReadXfer reads a whole qXfer object (e.g. "features", "target.xml") in
// chunks sized to the packet size. Replies are 'm' (more follows) or 'l'
// (last), followed by binary-escaped data.
func (c *Client) ReadXfer(object, annex string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	op := "read " + object + " " + annex
	chunk := c.packetSize - 16
	var out []byte
	for len(out) < maxXfer {
		req := fmt.Sprintf("qXfer:%s:read:%s:%x,%x", object, annex, len(out), chunk)
		reply, err := c.callLocked(op, []byte(req))
		if err != nil {
			return nil, err
		}
		if reply[0] != 'm' && reply[0] != 'l' {
			return nil, protocolError(op, []byte(req), reply, "qXfer reply must start with m or l")
		}
		data, err := rsp.Unescape(reply[1:])
		if err != nil {
			return nil, protocolError(op, []byte(req), reply, err.Error())
		}
		out = append(out, data...)
		if reply[0] == 'l' {
			return out, nil
		}
		if len(data) == 0 {
			return nil, protocolError(op, []byte(req), reply, "empty 'm' chunk")
		}
	}
	return nil, newError(op, nil, ErrProtocol, fmt.Errorf("object larger than %d bytes", maxXfer))
}

// Layout returns the register layout from the stub's target description
// (qXfer:features:read:target.xml and its includes). It is fetched once.
func (c *Client) Layout() (*tdesc.Layout, error) {
	c.mu.Lock()
	l := c.layout
	c.mu.Unlock()
	if l != nil {
		return l, nil
	}
	l, err := tdesc.Load(func(annex string) ([]byte, error) { return c.ReadXfer("features", annex) })
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.layout = l
	c.mu.Unlock()
	return l, nil
}
