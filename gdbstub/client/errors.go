package client

import (
	"errors"
	"fmt"
	"strconv"

	"copslab/gdbstub/rsp"
)

// Error classes. Every error a Client returns is an *Error whose Err is (or
// wraps) one of these, so callers can tell them apart with errors.Is.
var (
	// ErrUnsupported: the stub answered with an empty packet, which the
	// protocol defines as "I do not know this packet".
	ErrUnsupported = errors.New("unsupported by the stub (empty reply)")
	// ErrRemote: the stub answered Exx (or E.text).
	ErrRemote = errors.New("stub reported an error")
	// ErrTimeout: no answer within the per-call timeout.
	ErrTimeout = errors.New("timed out")
	// ErrClosed: the connection dropped (target died or closed it).
	ErrClosed = errors.New("connection closed")
	// ErrRunning: the target is running; only Interrupt and Wait are valid.
	ErrRunning = errors.New("target is running")
	// ErrProtocol: the stub's answer did not follow the protocol.
	ErrProtocol = errors.New("protocol violation")
	// ErrDesync: an earlier timeout left a reply outstanding; the
	// connection cannot be trusted any more.
	ErrDesync = errors.New("connection out of sync: an earlier request's reply is overdue")
)

// maxErrPacket bounds how much of a packet an error message quotes.
const maxErrPacket = 48

// Error is what Client methods return: the operation (a context label), the
// request packet (shortened) and the cause.
type Error struct {
	Op     string // what the client was doing, e.g. "read memory"
	Packet string // the request, shortened
	Code   int    // for ErrRemote: the xx of Exx, or -1 for E.text
	Text   string // for ErrRemote: the reply; for ErrProtocol: the reply
	Err    error  // one of the Err* classes, possibly wrapping a cause
}

func (e *Error) Error() string {
	s := "gdbstub: " + e.Op
	if e.Packet != "" {
		s += " (" + e.Packet + ")"
	}
	s += ": " + e.Err.Error()
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

func newError(op string, req []byte, class error, cause error) *Error {
	err := class
	if cause != nil {
		err = fmt.Errorf("%w: %v", class, cause)
	}
	return &Error{Op: op, Packet: rsp.Shorten(req, maxErrPacket), Code: -1, Err: err}
}

// replyError classifies a reply: nil for a normal one, *Error for an empty
// reply (unsupported) or Exx / E.text.
func replyError(op string, req, reply []byte) error {
	if len(reply) == 0 {
		return newError(op, req, ErrUnsupported, nil)
	}
	if reply[0] != 'E' {
		return nil
	}
	if len(reply) == 3 {
		if v, err := strconv.ParseUint(string(reply[1:]), 16, 8); err == nil {
			e := newError(op, req, ErrRemote, nil)
			e.Code, e.Text = int(v), string(reply)
			return e
		}
	}
	if len(reply) > 1 && reply[1] == '.' {
		e := newError(op, req, ErrRemote, nil)
		e.Text = rsp.Shorten(reply, maxErrPacket)
		return e
	}
	return nil
}

func protocolError(op string, req, reply []byte, why string) *Error {
	e := newError(op, req, ErrProtocol, errors.New(why))
	e.Text = rsp.Shorten(reply, maxErrPacket)
	return e
}
