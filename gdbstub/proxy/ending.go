package proxy

// How a session ends when the target goes away.
//
// QEMU's system-mode stub has no process to report on: the only exit
// reply it ever sends is "W00", from its shutdown path, whether QEMU got
// SIGTERM, was told to quit in its monitor, or the machine powered off;
// then it closes the connection. Relayed as is, gdb reports
// "[Inferior 1 (process 1) exited normally]", which is false. Killed with
// SIGKILL, QEMU just vanishes and gdb sees a bare "Remote connection
// closed". So the proxy holds an exit reply for ExitHold: if the target
// closes the connection within it, the exit reply was QEMU shutting
// down, and gdb gets a console line (an 'O' packet, which gdb prints
// while it waits for a resumed target) saying what happened, then the
// connection closes; a target that stays connected gets its exit reply
// through unchanged, late by ExitHold. A request that was not a resume
// gets the reason as an error reply ("E.…"). Either way the log records
// the reason and every request left unanswered.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	"copslab/gdbstub/rsp"
)

// ExitHold is how long an exit reply waits for the target to close.
const ExitHold = time.Second

// decoded is one item read from the target, with its exact bytes.
type decoded struct {
	it    rsp.Item
	valid bool // it was decoded (a bad checksum still forwards raw)
	raw   []byte
	err   error
}

// fromTarget forwards the target's items to gdb (see the top of this
// file for exit replies) and, when the target ends the session, tells
// gdb and the log why. gdbEnded is set when gdb ended the session first.
func (p *Proxy) fromTarget(target, gdb net.Conn, tr *Tracker, gdbEnded *atomic.Bool) error {
	items := make(chan decoded, 16)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(items)
		dec := rsp.NewDecoder(target)
		for {
			it, err := dec.Next()
			valid := err == nil
			var ce *rsp.ChecksumError
			if err != nil && (errors.As(err, &ce) || errors.Is(err, rsp.ErrTooLong)) {
				err = nil // the peers' business: forward the bytes anyway
			}
			raw := append([]byte(nil), dec.Consumed()...)
			select {
			case items <- decoded{it, valid, raw, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var held *decoded
	var hold <-chan time.Time
	send := func(d *decoded) error {
		if d.valid {
			tr.Item(false, d.it, time.Now())
		}
		if len(d.raw) == 0 {
			return nil
		}
		_, err := gdb.Write(d.raw)
		return err
	}
	for {
		select {
		case <-hold:
			hold = nil
			if err := send(held); err != nil {
				return err
			}
			held = nil
		case d, ok := <-items:
			if !ok || d.err != nil {
				if gdbEnded.Load() {
					return nil // gdb detached or quit: the normal end
				}
				if d.err == nil {
					d.err = io.EOF
				}
				if len(d.raw) > 0 { // bytes before the end
					gdb.Write(d.raw)
				}
				p.targetGone(gdb, tr, d.err, held)
				return nil
			}
			if held != nil { // the target went on after an exit reply
				hold = nil
				if err := send(held); err != nil {
					return err
				}
				held = nil
			}
			if d.valid && isExitReply(d.it) {
				held, hold = &d, time.After(ExitHold)
				continue
			}
			if err := send(&d); err != nil {
				return err
			}
		}
	}
}

// isExitReply reports a W (exited) or X (terminated) stop reply.
func isExitReply(it rsp.Item) bool {
	return it.Kind == rsp.KindPacket && len(it.Payload) >= 3 && (it.Payload[0] == 'W' || it.Payload[0] == 'X')
}

// targetGone logs why the target ended the session and tells gdb.
func (p *Proxy) targetGone(gdb net.Conn, tr *Tracker, err error, held *decoded) {
	var why string
	switch {
	case held != nil:
		why = fmt.Sprintf("QEMU shut down: its stub sent %s and closed the connection (QEMU was terminated by a signal such as SIGTERM, quit from its monitor, or the machine powered off); this is not the program's exit status", held.it.Payload)
	case errors.Is(err, io.EOF):
		why = "the target closed the connection without a stop reply: QEMU died (killed with SIGKILL?) or crashed"
	default:
		why = fmt.Sprintf("reading from the target failed (%v): QEMU died or the connection broke", cause(err))
	}
	p.logf("target %s ended the session: %s; %s\n", p.Target, why, tr.describeUnanswered(time.Now()))
	msg := "gdbproxy: " + why + "\n"
	if tr.waitsForStop() {
		gdb.Write(rsp.Frame(append([]byte("O"), rsp.HexEncode([]byte(msg))...)))
	} else if len(tr.Unanswered()) > 0 {
		gdb.Write(rsp.Frame(append([]byte("E."), msg[:len(msg)-1]...)))
	}
}
