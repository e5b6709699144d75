// Package proxy sits between gdb and a stub, forwards every byte unchanged
// in both directions, and logs each request/reply pair with its timing.
//
// Transparency comes first: the bytes gdb sends reach the stub exactly as
// sent, and the other way round, so the proxy cannot change a session's
// behaviour. Each direction runs an rsp.Decoder over the incoming bytes
// and forwards exactly the bytes each item consumed (noise included) right
// after recording the item in a Tracker, which pairs requests with
// replies; recording first guarantees a request is known before its reply
// can come back. Pairing rule: a stub packet answers
// the oldest unanswered gdb packet; 'O' output packets during qRcmd or
// while the target runs are logged as output and keep the request open.
//
// Later work: an OS-aware proxy shows the kernel's coroutines as gdb
// threads. That proxy answers some packets itself (qfThreadInfo,
// qsThreadInfo, qThreadExtraInfo, Hg), so it is built on server.Serve with
// a Target that wraps server.ClientTarget and adds server.ThreadTarget,
// not on byte forwarding; Session here stays the transparent reference.
package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"copslab/gdbstub/rsp"
)

// DialTimeout bounds connecting to the target stub.
const DialTimeout = 5 * time.Second

// Proxy forwards gdb connections to a target stub.
type Proxy struct {
	Target string    // host:port of the stub, e.g. QEMU's 127.0.0.1:1234
	Log    io.Writer // receives one line per packet pair; nil for none
	// LogBytes cuts logged packets; rsp.DefaultLogBytes if zero.
	LogBytes int
}

// Serve accepts gdb connections one at a time (stubs such as QEMU's take
// one client) until l is closed.
func (p *Proxy) Serve(l net.Listener) error {
	for {
		gdb, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if err := p.Session(gdb); err != nil {
			p.logf("session from %s: %v\n", gdb.RemoteAddr(), err)
		}
	}
}

// Session connects to the target and forwards between it and gdb until
// either side closes. It closes both connections.
func (p *Proxy) Session(gdb net.Conn) error {
	defer gdb.Close()
	target, err := net.DialTimeout("tcp", p.Target, DialTimeout)
	if err != nil {
		return fmt.Errorf("proxy: connecting to target %s: %w", p.Target, err)
	}
	defer target.Close()
	p.logf("session: gdb %s <-> target %s\n", gdb.RemoteAddr(), p.Target)
	tr := NewTracker(p.Log, p.LogBytes)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	pump := func(i int, from, to net.Conn, fromGDB bool) {
		defer wg.Done()
		errs[i] = forward(from, to, func(it rsp.Item) { tr.Item(fromGDB, it, time.Now()) })
		// One side ended: end the other so its pump returns too.
		gdb.Close()
		target.Close()
	}
	wg.Add(2)
	go pump(0, gdb, target, true)
	go pump(1, target, gdb, false)
	wg.Wait()
	p.logf("session ended: %d packet pairs\n", tr.Pairs())
	for _, e := range errs {
		if e != nil && !errors.Is(e, io.EOF) && !errors.Is(e, net.ErrClosed) {
			return e
		}
	}
	return nil
}

// forward copies from → to item by item and reports every decoded item
// before forwarding it, so a request is on record before its reply can
// arrive. Decoding problems (bad checksums) are the peers' business: the
// bytes are forwarded anyway.
func forward(from io.Reader, to io.Writer, item func(rsp.Item)) error {
	dec := rsp.NewDecoder(from)
	for {
		it, err := dec.Next()
		if err == nil {
			item(it)
		}
		if raw := dec.Consumed(); len(raw) > 0 {
			if _, werr := to.Write(raw); werr != nil {
				return werr
			}
		}
		var ce *rsp.ChecksumError
		if err != nil && !errors.As(err, &ce) && !errors.Is(err, rsp.ErrTooLong) {
			return err
		}
	}
}

func (p *Proxy) logf(format string, args ...any) {
	if p.Log != nil {
		fmt.Fprintf(p.Log, format, args...)
	}
}
