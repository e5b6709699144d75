package client

import (
	"errors"
	"fmt"

	"copslab/gdbstub/rsp"
)

// memOverhead is the room left in a packet for the command, address,
// length and framing when sizing memory transfers.
const memOverhead = 40

// ReadMemory reads n bytes at addr. It uses binary 'x' if the stub knows it
// (probed on first use) and hex 'm' otherwise, split so that every reply
// fits the packet size.
func (c *Client) ReadMemory(addr uint64, n int) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]byte, 0, n)
	for len(out) < n {
		chunk, err := c.readChunk(addr+uint64(len(out)), n-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, chunk...)
	}
	return out, nil
}

// readChunk reads at most one packet's worth. c.mu must be held.
func (c *Client) readChunk(addr uint64, n int) ([]byte, error) {
	if c.xRead != no {
		// Binary replies may double in size through escaping.
		n = min(n, (c.packetSize-memOverhead)/2)
		b, err := c.readBinary(addr, n)
		if !errors.Is(err, ErrUnsupported) || c.xRead == yes {
			if err == nil {
				c.xRead = yes
			}
			return b, err
		}
		c.xRead = no
	}
	n = min(n, (c.packetSize-memOverhead)/2)
	req := fmt.Sprintf("m%x,%x", addr, n)
	op := fmt.Sprintf("read memory at %#x", addr)
	reply, err := c.callLocked(op, []byte(req))
	if err != nil {
		return nil, err
	}
	b, err := rsp.HexDecode(string(reply))
	if err != nil || len(b) == 0 || len(b) > n {
		return nil, protocolError(op, []byte(req), reply, "bad memory reply")
	}
	return b, nil
}

// readBinary reads with 'x' (GDB 16+): the reply is 'b' then escaped data.
func (c *Client) readBinary(addr uint64, n int) ([]byte, error) {
	req := fmt.Sprintf("x%x,%x", addr, n)
	op := fmt.Sprintf("read memory at %#x", addr)
	reply, err := c.callLocked(op, []byte(req))
	if err != nil {
		return nil, err
	}
	if reply[0] != 'b' {
		return nil, protocolError(op, []byte(req), reply, "binary read reply must start with b")
	}
	b, err := rsp.Unescape(reply[1:])
	if err != nil || len(b) == 0 || len(b) > n {
		return nil, protocolError(op, []byte(req), reply, "bad binary memory reply")
	}
	return b, nil
}

// WriteMemory writes data at addr, with binary 'X' if the stub accepts it
// (probed on first use) and hex 'M' otherwise, split to the packet size.
func (c *Client) WriteMemory(addr uint64, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(data) > 0 {
		n, err := c.writeChunk(addr, data)
		if err != nil {
			return err
		}
		addr, data = addr+uint64(n), data[n:]
	}
	return nil
}

// writeChunk writes a prefix of data and returns its length. c.mu must be held.
func (c *Client) writeChunk(addr uint64, data []byte) (int, error) {
	op := fmt.Sprintf("write memory at %#x", addr)
	budget := c.packetSize - memOverhead
	if c.xWrite != no {
		n, esc := fitEscaped(data, budget)
		req := append(fmt.Appendf(nil, "X%x,%x:", addr, n), esc...)
		reply, err := c.callLocked(op, req)
		switch {
		case err == nil && string(reply) == "OK":
			c.xWrite = yes
			return n, nil
		case err == nil:
			return 0, protocolError(op, req, reply, "expected OK")
		case !errors.Is(err, ErrUnsupported) || c.xWrite == yes:
			return 0, err
		}
		c.xWrite = no
	}
	n := min(len(data), budget/2)
	req := fmt.Sprintf("M%x,%x:%s", addr, n, rsp.HexEncode(data[:n]))
	reply, err := c.callLocked(op, []byte(req))
	if err != nil {
		return 0, err
	}
	if string(reply) != "OK" {
		return 0, protocolError(op, []byte(req), reply, "expected OK")
	}
	return n, nil
}

// fitEscaped returns how many leading bytes of data fit in budget bytes
// once escaped, and their escaped form.
func fitEscaped(data []byte, budget int) (int, []byte) {
	var out []byte
	n := 0
	for n < len(data) {
		next := rsp.AppendEscaped(out, data[n:n+1])
		if len(next) > budget {
			break
		}
		out, n = next, n+1
	}
	return n, out
}
