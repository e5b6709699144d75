package client

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"copslab/gdbstub/rsp"
	"copslab/gdbstub/tdesc"
)

// Limits and defaults.
const (
	DefaultTimeout    = 5 * time.Second
	DefaultPacketSize = 400 // GDB's assumption when the stub names none
	maxRetransmit     = 3
	packetQueue       = 64
)

// Options configure a Client. The zero value is usable.
type Options struct {
	Timeout time.Duration // per call; DefaultTimeout if zero
	Log     rsp.WireLog   // optional wire log
	Console io.Writer     // receives 'O' output while the target runs
	Ack     bool          // stay in ack mode even if the stub offers no-ack mode
}

// Client drives a GDB stub over one connection. Methods are safe for
// concurrent use, but the protocol is one request at a time: calls are
// serialized, and while the target runs only Interrupt and Wait work.
type Client struct {
	conn *rsp.Conn
	opts Options

	// Filled by the reader goroutine.
	packets chan inbound  // replies, run-length expanded
	acks    chan rsp.Kind // '+' and '-'
	done    chan struct{} // closed when the reader stops
	closing chan struct{} // closed by Close; unblocks the reader
	once    sync.Once
	readErr error // why the reader stopped; valid after done

	running atomic.Bool

	mu         sync.Mutex // serializes exchanges; guards the fields below
	desync     string     // the request that timed out, "" if none
	features   map[string]string
	packetSize int
	layout     *tdesc.Layout
	xRead      tristate // binary x supported?
	xWrite     tristate // binary X supported?
	vCont      string   // reply to vCont?, "" if unsupported
	breaks     map[uint64]breakpoint
	pending    *StopReply // a stop seen while stepping over a breakpoint
}

type tristate uint8

const (
	unknown tristate = iota
	yes
	no
)

// Dial connects to a stub at a TCP address such as "127.0.0.1:1234".
func Dial(addr string, opts Options) (*Client, error) {
	nc, err := net.DialTimeout("tcp", addr, opts.timeout())
	if err != nil {
		return nil, newError("dial "+addr, nil, ErrClosed, err)
	}
	c, err := New(nc, opts)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// New starts a client on an established byte stream (socket, pipe, UART)
// and negotiates features: qSupported, then QStartNoAckMode if offered.
func New(rw io.ReadWriter, opts Options) (*Client, error) {
	c := &Client{
		conn:       rsp.NewConn(rw, opts.Log),
		opts:       opts,
		packets:    make(chan inbound, packetQueue),
		acks:       make(chan rsp.Kind, 16),
		done:       make(chan struct{}),
		closing:    make(chan struct{}),
		packetSize: DefaultPacketSize,
		breaks:     map[uint64]breakpoint{},
	}
	go c.readLoop()
	if err := c.handshake(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Close closes the connection. The target keeps its state.
func (c *Client) Close() error {
	c.once.Do(func() { close(c.closing) })
	err := c.conn.Close()
	<-c.done
	return err
}

// Done is closed when the connection has dropped or was closed.
func (c *Client) Done() <-chan struct{} { return c.done }

// readLoop is the only reader of the connection. It acks packets (in ack
// mode), naks corrupt ones, and hands payloads to the waiting call.
func (c *Client) readLoop() {
	defer close(c.done)
	for {
		it, err := c.conn.Read()
		var ce *rsp.ChecksumError
		switch {
		case errors.As(err, &ce):
			c.conn.WriteNak()
			continue
		case errors.Is(err, rsp.ErrTooLong):
			c.conn.WriteNak()
			continue
		case err != nil:
			c.readErr = err
			return
		}
		switch it.Kind {
		case rsp.KindAck, rsp.KindNak:
			select {
			case c.acks <- it.Kind:
			default: // nobody waits for it
			}
		case rsp.KindPacket:
			c.conn.WriteAck()
			p, err := rsp.ExpandRLE(it.Payload)
			if err != nil {
				p = it.Payload
			}
			select {
			case c.packets <- inbound{p, err}:
			case <-c.closing:
				c.readErr = net.ErrClosed
				return
			}
		}
		// Notifications and stray interrupt bytes are ignored: this client
		// does not negotiate non-stop mode.
	}
}

// inbound is one received packet; err is set when its run-length
// encoding was malformed (p is then the raw payload).
type inbound struct {
	p   []byte
	err error
}

// closedError describes the dropped connection.
func (c *Client) closedError(op string, req []byte) error {
	cause := c.readErr
	if cause == nil || errors.Is(cause, net.ErrClosed) {
		cause = io.EOF
	}
	return newError(op, req, ErrClosed, cause)
}

// send writes one packet and, in ack mode, waits for its '+'.
func (c *Client) send(op string, req []byte, deadline <-chan time.Time) error {
	for try := 0; try < maxRetransmit; try++ {
		if err := c.conn.WritePacket(req); err != nil {
			return newError(op, req, ErrClosed, err)
		}
		if c.conn.NoAck() {
			return nil
		}
		select {
		case k := <-c.acks:
			if k == rsp.KindAck {
				return nil
			}
		case <-c.done:
			return c.closedError(op, req)
		case <-deadline:
			return c.timedOut(op, req, "waiting for ack")
		}
	}
	return newError(op, req, ErrProtocol, fmt.Errorf("%d naks in a row", maxRetransmit))
}

func (in inbound) reply(op string, req []byte) ([]byte, error) {
	if in.err != nil {
		return nil, protocolError(op, req, in.p, in.err.Error())
	}
	return in.p, nil
}

// recv waits for the next packet.
func (c *Client) recv(op string, req []byte, deadline <-chan time.Time) ([]byte, error) {
	select {
	case in := <-c.packets:
		return in.reply(op, req)
	case <-c.done:
		select {
		case in := <-c.packets: // delivered just before the drop
			return in.reply(op, req)
		default:
		}
		return nil, c.closedError(op, req)
	case <-deadline:
		return nil, c.timedOut(op, req, "waiting for reply")
	}
}

func (c *Client) timedOut(op string, req []byte, what string) error {
	c.desync = op + " (" + rsp.Shorten(req, maxErrPacket) + ")"
	return newError(op, req, ErrTimeout, fmt.Errorf("%s after %v", what, c.opts.timeout()))
}

// usable checks the preconditions of an exchange. c.mu must be held.
func (c *Client) usable(op string, req []byte) error {
	select {
	case <-c.done:
		return c.closedError(op, req)
	default:
	}
	if c.desync != "" {
		return newError(op, req, ErrDesync, fmt.Errorf("%s timed out", c.desync))
	}
	if c.running.Load() {
		return newError(op, req, ErrRunning, nil)
	}
	return nil
}

// exchange sends req and returns the reply. c.mu must be held.
func (c *Client) exchange(op string, req []byte) ([]byte, error) {
	if err := c.usable(op, req); err != nil {
		return nil, err
	}
	t := time.NewTimer(c.opts.timeout())
	defer t.Stop()
	if err := c.send(op, req, t.C); err != nil {
		return nil, err
	}
	return c.recv(op, req, t.C)
}

// call is exchange plus reply classification (empty, Exx).
func (c *Client) call(op, req string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.callLocked(op, []byte(req))
}

func (c *Client) callLocked(op string, req []byte) ([]byte, error) {
	reply, err := c.exchange(op, req)
	if err != nil {
		return nil, err
	}
	if err := replyError(op, req, reply); err != nil {
		return nil, err
	}
	return reply, nil
}

// callOK is call for packets whose success reply is "OK".
func (c *Client) callOK(op, req string) error {
	reply, err := c.call(op, req)
	if err != nil {
		return err
	}
	if string(reply) != "OK" {
		return protocolError(op, []byte(req), reply, "expected OK")
	}
	return nil
}

// Exchange sends an arbitrary packet and returns the raw reply (run-length
// expanded, not unescaped). An empty reply or Exx is returned as an error.
func (c *Client) Exchange(op, req string) ([]byte, error) { return c.call(op, req) }

// handshake negotiates features.
func (c *Client) handshake() error {
	const req = "qSupported:swbreak+;hwbreak+;vContSupported+"
	reply, err := c.call("negotiate features", req)
	if err != nil && !errors.Is(err, ErrUnsupported) {
		return err
	}
	c.features = parseFeatures(string(reply))
	if v, ok := c.features["PacketSize"]; ok {
		n, perr := strconv.ParseUint(v, 16, 32)
		if perr != nil || n < 64 {
			return protocolError("negotiate features", []byte(req), reply, "bad PacketSize")
		}
		c.packetSize = int(min(n, rsp.MaxPayload))
	}
	if c.features["QStartNoAckMode"] == "+" && !c.opts.Ack {
		if err := c.callOK("start no-ack mode", "QStartNoAckMode"); err != nil {
			return err
		}
		c.conn.SetNoAck(true)
	}
	return nil
}

// parseFeatures splits "a=b;c+;d-" into a map: a→b, c→+, d→-.
func parseFeatures(s string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Split(s, ";") {
		switch {
		case f == "":
		case strings.Contains(f, "="):
			k, v, _ := strings.Cut(f, "=")
			m[k] = v
		case strings.HasSuffix(f, "+") || strings.HasSuffix(f, "-") || strings.HasSuffix(f, "?"):
			m[f[:len(f)-1]] = f[len(f)-1:]
		default:
			m[f] = "+"
		}
	}
	return m
}

// Features returns the stub's qSupported reply as name → value ("+", "-",
// or the value after '=').
func (c *Client) Features() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.features))
	for k, v := range c.features {
		out[k] = v
	}
	return out
}

// PacketSize is the largest packet the stub accepts.
func (c *Client) PacketSize() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.packetSize
}
