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
// The proxy speaks for itself only where forwarding would leave gdb
// guessing (ending.go, refuse.go): when the target goes away it tells gdb
// why instead of relaying QEMU's shutdown "W00" as a normal exit; when no
// target is reachable, or another gdb already holds the session, it
// answers gdb's packets with an error message naming the reason.
//
// The proxy speaks for itself only where forwarding would leave gdb
// guessing (ending.go, refuse.go): when the target goes away it tells gdb
// why instead of relaying QEMU's shutdown "W00" as a normal exit; when no
// target is reachable, or another gdb already holds the session, it
// answers gdb's packets with an error message naming the reason.
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
	"sync/atomic"
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

	mu     sync.Mutex
	active string   // gdb's address while a session runs
	track  *Tracker // the running session's tracker
}

// Unanswered returns the running session's gdb requests that the target
// has not answered yet, oldest first (nil without a session).
func (p *Proxy) Unanswered() []string {
	p.mu.Lock()
	tr := p.track
	p.mu.Unlock()
	if tr == nil {
		return nil
	}
	return tr.Unanswered()
}

// Serve runs one gdb session at a time (stubs such as QEMU's take one
// client) until l is closed; a gdb that connects while a session runs is
// refused at once with a message saying so. Serve returns when l is
// closed and the running session, if any, has ended.
func (p *Proxy) Serve(l net.Listener) error {
	var sessions sync.WaitGroup
	defer sessions.Wait()
	for {
		gdb, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		p.mu.Lock()
		busy := p.active
		if busy == "" {
			p.active = gdb.RemoteAddr().String()
		}
		p.mu.Unlock()
		if busy != "" {
			msg := fmt.Sprintf("gdbproxy: another gdb (%s) is connected through this proxy; the target takes one debugger at a time", busy)
			p.logf("refused gdb %s: a session with %s is running\n", gdb.RemoteAddr(), busy)
			go refuse(gdb, msg)
			continue
		}
		sessions.Add(1)
		go func() {
			defer sessions.Done()
			if err := p.Session(gdb); err != nil {
				p.logf("session from %s: %v\n", gdb.RemoteAddr(), err)
			}
			p.mu.Lock()
			p.active = ""
			p.mu.Unlock()
		}()
	}
}

// Session connects to the target and forwards between it and gdb until
// either side closes. It closes both connections. Without a reachable
// target, gdb gets an error reply naming the address and the reason.
func (p *Proxy) Session(gdb net.Conn) error {
	defer gdb.Close()
	target, err := net.DialTimeout("tcp", p.Target, DialTimeout)
	if err != nil {
		err = fmt.Errorf("proxy: connecting to target %s: %w", p.Target, err)
		p.logf("%v\n", err)
		refuse(gdb, fmt.Sprintf("gdbproxy: no target at %s (%v); start QEMU with its gdb stub there (make debug), then connect again", p.Target, cause(err)))
		return nil
	}
	defer target.Close()
	p.logf("session: gdb %s <-> target %s\n", gdb.RemoteAddr(), p.Target)
	tr := NewTracker(p.Log, p.LogBytes)
	p.mu.Lock()
	p.track = tr
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.track = nil
		p.mu.Unlock()
	}()
	var wg sync.WaitGroup
	var gdbEnded atomic.Bool
	errs := make([]error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		errs[0] = forward(gdb, target, func(it rsp.Item) { tr.Item(true, it, time.Now()) })
		// gdb ended: end the target side so its pump returns too.
		gdbEnded.Store(true)
		target.Close()
	}()
	go func() {
		defer wg.Done()
		errs[1] = p.fromTarget(target, gdb, tr, &gdbEnded)
		gdb.Close()
		target.Close()
	}()
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
