package proxy

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
	"copslab/gdbstub/rsp"
)

// syncBuffer is a bytes.Buffer safe for the proxy's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startProxy runs a proxy to QEMU on a free loopback port.
func startProxy(t *testing.T) (string, *qemutest.Prog, *qemutest.QEMU, *syncBuffer) {
	t.Helper()
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	p := &Proxy{Target: q.Addr, Log: log}
	done := make(chan struct{})
	go func() { p.Serve(l); close(done) }()
	t.Cleanup(func() {
		l.Close()
		q.Kill() // ends a session still open
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("proxy did not stop")
		}
	})
	return l.Addr().String(), prog, q, log
}

// TestGDBThroughProxy: gdb-multiarch -batch through the proxy to QEMU sees
// what it would see directly, and the log has the packet pairs.
func TestGDBThroughProxy(t *testing.T) {
	qemutest.Need(t, qemutest.GDBBinary)
	addr, prog, _, log := startProxy(t)
	out := qemutest.GDB(t, prog, addr,
		"break main.tick", "continue", "continue", "info registers pc",
		fmt.Sprintf("x/4gx %#x", prog.Counter), "monitor info registers")
	checks := []string{
		`Breakpoint 1, main\.tick`,
		fmt.Sprintf(`pc\s+%#x\s+%#x <main\.tick>`, prog.Tick, prog.Tick),
		fmt.Sprintf(`%#x <main\.counter>:\s+0x0+1\s+0x`, prog.Counter),
		`mstatus\s+[0-9a-f]+`,
	}
	for _, re := range checks {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("gdb output lacks %q:\n%s", re, out)
		}
	}
	// Wait for gdb's detach to pass through, then check the log.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "session ended") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	lg := log.String()
	t.Logf("gdb output:\n%s\nproxy log:\n%s", out, lg)
	for _, re := range []string{
		`ms  qSupported:.*  =>  PacketSize=`,
		fmt.Sprintf(`ms  Z0,%x,4  =>  OK`, prog.Tick),
		`ms  (c|vCont;c.*)  =>  T05`,
		`ms  qRcmd,[0-9a-f]+  =>  O[0-9a-f]+`,
		`session ended: \d+ packet pairs`,
	} {
		if !regexp.MustCompile(re).MatchString(lg) {
			t.Errorf("proxy log lacks %q:\n%s", re, lg)
		}
	}
}

// TestClientThroughProxy: the client sees no difference, and an interrupt
// byte passes through.
func TestClientThroughProxy(t *testing.T) {
	addr, prog, q, log := startProxy(t)
	c, err := client.Dial(addr, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := c.Interrupt(); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Wait(5 * time.Second); err != nil || st.Signal != client.SigInt {
		t.Fatalf("interrupt through proxy: %v %v", st, err)
	}
	if b, err := c.ReadMemory(prog.Counter, 8); err != nil || len(b) != 8 {
		t.Fatalf("read: %v", err)
	}
	if !strings.Contains(log.String(), "^C (interrupt)") {
		t.Errorf("log lacks the interrupt:\n%s", log.String())
	}
	// QEMU dies: the client sees a closed connection, not a hang.
	q.Kill()
	if _, err := c.ReadMemory(prog.Counter, 8); err == nil {
		t.Fatal("read after QEMU died succeeded")
	}
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:2345", false, true},
		{"[::1]:2345", false, true},
		{"localhost:2345", false, true},
		{"0.0.0.0:2345", false, false},
		{":2345", false, false},
		{"192.168.1.5:2345", false, false},
		{"0.0.0.0:2345", true, true},
		{"nonsense", false, false},
	}
	for _, tt := range tests {
		if err := CheckLoopback(tt.addr, tt.remote); (err == nil) != tt.ok {
			t.Errorf("CheckLoopback(%q, %v) = %v", tt.addr, tt.remote, err)
		}
	}
}

func TestTrackerPairs(t *testing.T) {
	var buf bytes.Buffer
	tr := NewTracker(&buf, 0)
	t0 := time.Unix(0, 0)
	pkt := func(s string) rsp.Item { return rsp.Item{Kind: rsp.KindPacket, Payload: []byte(s)} }
	tr.Item(true, pkt("qRcmd,6869"), t0)
	tr.Item(false, pkt("O6869"), t0.Add(time.Millisecond))
	tr.Item(false, pkt("OK"), t0.Add(2*time.Millisecond))
	tr.Item(true, pkt("m0,4"), t0)
	tr.Item(true, rsp.Item{Kind: rsp.KindAck}, t0)
	tr.Item(false, pkt("E01"), t0.Add(3*time.Millisecond))
	tr.Item(false, pkt("T05"), t0)
	if tr.Pairs() != 2 {
		t.Errorf("pairs = %d", tr.Pairs())
	}
	want := []string{"1.000ms  qRcmd,6869  =>  O6869", "2.000ms  qRcmd,6869  =>  OK",
		"3.000ms  m0,4  =>  E01", "(unsolicited)  =>  T05"}
	for _, w := range want {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, buf.String())
		}
	}
}
