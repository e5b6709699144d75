package proxy

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"copslab/gdbstub/rsp"
)

// Tracker pairs gdb's requests with the stub's replies and logs each pair:
//
//	0.412ms  m80000000,8  =>  0000000000000000
//
// It is safe for use from the two forwarding goroutines.
type Tracker struct {
	mu      sync.Mutex
	w       io.Writer
	n       int
	pending []request
	pairs   int
}

type request struct {
	payload []byte
	at      time.Time
}

// NewTracker logs to w (nil: count only), cutting packets to n bytes.
func NewTracker(w io.Writer, n int) *Tracker {
	if n <= 0 {
		n = rsp.DefaultLogBytes
	}
	return &Tracker{w: w, n: n}
}

// Pairs is how many request/reply pairs were seen.
func (t *Tracker) Pairs() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pairs
}

// Item records one decoded item from gdb (fromGDB) or from the stub.
func (t *Tracker) Item(fromGDB bool, it rsp.Item, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case it.Kind == rsp.KindInterrupt:
		t.logf("%10s  ^C (interrupt)\n", "")
	case it.Kind == rsp.KindNak:
		t.logf("%10s  nak from %s\n", "", side(fromGDB))
	case it.Kind == rsp.KindNotification:
		t.logf("%10s  %%%s from %s\n", "", rsp.Shorten(it.Payload, t.n), side(fromGDB))
	case it.Kind != rsp.KindPacket:
		// acks are not logged
	case fromGDB:
		t.pending = append(t.pending, request{it.Payload, at})
	default:
		t.reply(it.Payload, at)
	}
}

func side(fromGDB bool) string {
	if fromGDB {
		return "gdb"
	}
	return "stub"
}

// reply pairs a stub packet with the oldest open request. t.mu must be held.
func (t *Tracker) reply(p []byte, at time.Time) {
	if len(t.pending) == 0 {
		t.logf("%10s  (unsolicited)  =>  %s\n", "", rsp.Shorten(p, t.n))
		return
	}
	req := t.pending[0]
	d := at.Sub(req.at)
	if isOutput(req.payload, p) {
		t.logf("%10s  %s  =>  %s\n", ms(d), rsp.Shorten(req.payload, t.n), rsp.Shorten(p, t.n))
		return // the final reply is still to come
	}
	t.pending = t.pending[1:]
	t.pairs++
	t.logf("%10s  %s  =>  %s\n", ms(d), rsp.Shorten(req.payload, t.n), rsp.Shorten(p, t.n))
}

// isOutput tells an 'O' console-output packet from a final reply: only
// requests that may stream output (qRcmd, resumes) get them.
func isOutput(req, reply []byte) bool {
	if len(reply) < 2 || reply[0] != 'O' || string(reply) == "OK" {
		return false
	}
	r := string(req)
	return strings.HasPrefix(r, "qRcmd,") || isResume(r)
}

// isResume reports whether a gdb request resumes the target.
func isResume(r string) bool {
	return strings.HasPrefix(r, "vCont;") || r == "c" || r == "s" || strings.HasPrefix(r, "C") || strings.HasPrefix(r, "S")
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.3fms", float64(d.Microseconds())/1000)
}

func (t *Tracker) logf(format string, args ...any) {
	if t.w != nil {
		fmt.Fprintf(t.w, format, args...)
	}
}

// Unanswered returns the requests still waiting for a reply, oldest
// first, each cut to the log length.
func (t *Tracker) Unanswered() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, len(t.pending))
	for i, r := range t.pending {
		out[i] = rsp.Shorten(r.payload, t.n)
	}
	return out
}

// waitsForStop reports whether an unanswered request is a resume (c, s,
// C, S, vCont;…), which only a stop reply ends.
func (t *Tracker) waitsForStop() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.pending {
		if isResume(string(r.payload)) {
			return true
		}
	}
	return false
}

// describeUnanswered says which requests were left open and for how long.
func (t *Tracker) describeUnanswered(now time.Time) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == 0 {
		return "no request was waiting"
	}
	var b strings.Builder
	b.WriteString("unanswered: ")
	for i, r := range t.pending {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (sent %s before)", rsp.Shorten(r.payload, t.n), ms(now.Sub(r.at)))
	}
	return b.String()
}
