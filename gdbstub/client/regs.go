package client

import (
	"encoding/binary"
	"fmt"

	"copslab/gdbstub/rsp"
)

// ReadRegisters reads the 'g' block: the registers in number order, as far
// as the stub sends them, in target byte order. Unavailable bytes ("xx")
// read as zero.
func (c *Client) ReadRegisters() ([]byte, error) {
	reply, err := c.call("read registers", "g")
	if err != nil {
		return nil, err
	}
	b, err := decodeRegHex(string(reply))
	if err != nil {
		return nil, protocolError("read registers", []byte("g"), reply, err.Error())
	}
	return b, nil
}

// WriteRegisters writes the 'G' block.
func (c *Client) WriteRegisters(b []byte) error {
	return c.callOK("write registers", "G"+rsp.HexEncode(b))
}

// ReadRegister reads register num with 'p'.
func (c *Client) ReadRegister(num int) ([]byte, error) {
	req := fmt.Sprintf("p%x", num)
	op := fmt.Sprintf("read register %d", num)
	reply, err := c.call(op, req)
	if err != nil {
		return nil, err
	}
	b, err := decodeRegHex(string(reply))
	if err != nil {
		return nil, protocolError(op, []byte(req), reply, err.Error())
	}
	return b, nil
}

// WriteRegister writes register num with 'P'.
func (c *Client) WriteRegister(num int, val []byte) error {
	return c.callOK(fmt.Sprintf("write register %d", num), fmt.Sprintf("P%x=%s", num, rsp.HexEncode(val)))
}

// Reg reads a register by its name in the target description and returns
// it as a little-endian number (RISC-V's byte order).
func (c *Client) Reg(name string) (uint64, error) {
	l, err := c.Layout()
	if err != nil {
		return 0, err
	}
	r, ok := l.ByName(name)
	if !ok {
		return 0, newError("read register "+name, nil, ErrUnsupported, fmt.Errorf("not in the target description"))
	}
	b, err := c.ReadRegister(r.Num)
	if err != nil {
		return 0, err
	}
	var buf [8]byte
	copy(buf[:], b)
	return binary.LittleEndian.Uint64(buf[:]), nil
}

// SetReg writes a register by name as a little-endian number of the
// register's width.
func (c *Client) SetReg(name string, v uint64) error {
	l, err := c.Layout()
	if err != nil {
		return err
	}
	r, ok := l.ByName(name)
	if !ok {
		return newError("write register "+name, nil, ErrUnsupported, fmt.Errorf("not in the target description"))
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], v)
	return c.WriteRegister(r.Num, buf[:min(r.Size(), 8)])
}
