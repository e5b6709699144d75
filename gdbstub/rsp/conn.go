package rsp

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Direction of a logged wire transfer.
type Direction uint8

const (
	Sent Direction = iota
	Received
)

func (d Direction) String() string {
	if d == Sent {
		return "->"
	}
	return "<-"
}

// WireLog receives every item read or written by a Conn. The data are the
// raw bytes; use Shorten to print them.
type WireLog func(dir Direction, at time.Time, raw []byte)

// Conn is a packet connection over any byte stream: a TCP socket, a pipe
// or a UART. Reads must come from one goroutine; writes may come from
// several (they are serialized).
type Conn struct {
	rw    io.ReadWriter
	dec   *Decoder
	wmu   sync.Mutex
	noAck atomic.Bool
	log   WireLog
}

// NewConn wraps rw. log may be nil.
func NewConn(rw io.ReadWriter, log WireLog) *Conn {
	return &Conn{rw: rw, dec: NewDecoder(rw), log: log}
}

// SetNoAck switches no-ack mode on or off (after QStartNoAckMode).
func (c *Conn) SetNoAck(on bool) { c.noAck.Store(on) }

// NoAck reports whether no-ack mode is on.
func (c *Conn) NoAck() bool { return c.noAck.Load() }

// Read returns the next item from the stream.
func (c *Conn) Read() (Item, error) {
	it, err := c.dec.Next()
	if c.log != nil && len(c.dec.raw) > 0 {
		c.log(Received, time.Now(), append([]byte(nil), c.dec.raw...))
	}
	return it, err
}

// WritePacket frames payload and writes it. Binary payloads must be escaped
// by the caller (AppendEscaped).
func (c *Conn) WritePacket(payload []byte) error { return c.writeRaw(Frame(payload)) }

// WriteNotification frames payload as a notification and writes it.
func (c *Conn) WriteNotification(payload []byte) error {
	return c.writeRaw(FrameNotification(payload))
}

// WriteAck writes '+' unless no-ack mode is on.
func (c *Conn) WriteAck() error {
	if c.NoAck() {
		return nil
	}
	return c.writeRaw([]byte{Ack})
}

// WriteNak writes '-' unless no-ack mode is on.
func (c *Conn) WriteNak() error {
	if c.NoAck() {
		return nil
	}
	return c.writeRaw([]byte{Nak})
}

// WriteInterrupt writes the interrupt byte 0x03.
func (c *Conn) WriteInterrupt() error { return c.writeRaw([]byte{Interrupt}) }

func (c *Conn) writeRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.log != nil {
		c.log(Sent, time.Now(), b)
	}
	_, err := c.rw.Write(b)
	return err
}

// Close closes the underlying stream if it is an io.Closer.
func (c *Conn) Close() error {
	if cl, ok := c.rw.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}
