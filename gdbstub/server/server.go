package server

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"

	"copslab/gdbstub/rsp"
)

// Limits the server announces and enforces.
const (
	// PacketSize is announced in qSupported: the largest packet gdb may send.
	PacketSize = 0x4000
	// MaxMemoryRead bounds one m/x request.
	MaxMemoryRead = PacketSize / 2
)

// Options configure a session. The zero value is usable.
type Options struct {
	Log     rsp.WireLog // optional wire log
	Verbose *log.Logger // optional: session events (connect, errors)
}

// Serve runs one gdb session on rw until gdb detaches or kills the target,
// or the stream ends. It returns nil for a normal end. When the session
// ends Serve closes rw if it is an io.Closer; otherwise its reader
// goroutine ends with the stream's next read.
func Serve(rw io.ReadWriter, t Target, opts Options) error {
	s := newSession(rw, t, opts)
	return s.run()
}

// ListenAndServe accepts gdb connections on addr one after another and
// serves each with the same target.
func ListenAndServe(l net.Listener, t Target, opts Options) error {
	for {
		nc, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		err = Serve(nc, t, opts)
		nc.Close()
		if opts.Verbose != nil {
			opts.Verbose.Printf("gdb session from %s ended: %v", nc.RemoteAddr(), err)
		}
	}
}

// session is the state of one connection.
type session struct {
	conn   *rsp.Conn
	t      Target
	opts   Options
	items  chan rsp.Item
	done   chan struct{} // reader stopped
	quit   chan struct{} // session over; the reader drops what it reads
	rerr   error         // why; valid after done
	last   []byte        // last reply payload, for '-'
	stop   Stop          // last stop, for '?'
	ending bool          // k or D seen
	thr    []Thread      // thread list being sent by qs
}

func newSession(rw io.ReadWriter, t Target, opts Options) *session {
	return &session{conn: rsp.NewConn(rw, opts.Log), t: t, opts: opts,
		items: make(chan rsp.Item, 16), done: make(chan struct{}), quit: make(chan struct{}), stop: Stop{Signal: 5}}
}

// read is the session's only reader of the stream (protocol step 1).
func (s *session) read() {
	defer close(s.done)
	for {
		it, err := s.conn.Read()
		var ce *rsp.ChecksumError
		if errors.As(err, &ce) || errors.Is(err, rsp.ErrTooLong) {
			s.conn.WriteNak()
			continue
		}
		if err != nil {
			s.rerr = err
			return
		}
		select {
		case s.items <- it:
		case <-s.quit:
			return
		}
	}
}

func (s *session) run() error {
	go s.read()
	defer close(s.quit)
	defer s.conn.Close()
	for !s.ending {
		select {
		case it := <-s.items:
			if err := s.handleItem(it); err != nil {
				s.conn.Close()
				return err
			}
		case <-s.done:
			if errors.Is(s.rerr, io.EOF) || errors.Is(s.rerr, net.ErrClosed) {
				return nil
			}
			return s.rerr
		}
	}
	return nil
}

// handleItem is protocol step 2.
func (s *session) handleItem(it rsp.Item) error {
	switch it.Kind {
	case rsp.KindNak:
		if s.last != nil {
			return s.conn.WritePacket(s.last)
		}
	case rsp.KindPacket:
		if err := s.conn.WriteAck(); err != nil {
			return err
		}
		payload, err := rsp.ExpandRLE(it.Payload)
		if err != nil {
			return s.reply([]byte("E01"))
		}
		return s.dispatch(payload)
	}
	// Acks, notifications and an interrupt while halted need no answer.
	return nil
}

// reply sends a reply and remembers it for a retransmission.
func (s *session) reply(p []byte) error {
	s.last = p
	return s.conn.WritePacket(p)
}

func (s *session) replyString(p string) error { return s.reply([]byte(p)) }

// replyErr sends the empty reply for ErrUnsupported and Exx otherwise.
func (s *session) replyErr(err error) error {
	if errors.Is(err, ErrUnsupported) {
		return s.replyString("")
	}
	if s.opts.Verbose != nil {
		s.opts.Verbose.Printf("target error: %v", err)
	}
	return s.replyString(fmt.Sprintf("E%02x", errnoOf(err)))
}

// replyOK sends OK or the error.
func (s *session) replyOK(err error) error {
	if err != nil {
		return s.replyErr(err)
	}
	return s.replyString("OK")
}
