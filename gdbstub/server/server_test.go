package server

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
	"copslab/gdbstub/rsp"
)

// front starts QEMU and returns a ClientTarget on it.
func front(t *testing.T) (*ClientTarget, *qemutest.Prog, *qemutest.QEMU) {
	t.Helper()
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	c, err := client.Dial(q.Addr, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &ClientTarget{C: c}, prog, q
}

// serveOnPipe serves target on one end of an in-memory byte stream, the
// way a UART would carry it, and returns the other end.
func serveOnPipe(t *testing.T, target Target) (net.Conn, chan struct{}) {
	gdbEnd, stubEnd := net.Pipe()
	done := make(chan struct{})
	go func() {
		if err := Serve(stubEnd, target, Options{}); err != nil {
			t.Logf("session: %v", err)
		}
		close(done)
	}()
	t.Cleanup(func() {
		gdbEnd.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not end after the stream closed")
		}
	})
	return gdbEnd, done
}

// TestGDBThroughServer: a real gdb drives QEMU through our server.
func TestGDBThroughServer(t *testing.T) {
	qemutest.Need(t, qemutest.GDBBinary)
	target, prog, _ := front(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go ListenAndServe(l, target, Options{})
	out := qemutest.GDB(t, prog, l.Addr().String(),
		"break main.tick", "continue", "continue", "info registers pc",
		fmt.Sprintf("x/2gx %#x", prog.Counter), "stepi", "info registers pc",
		"monitor info mtree", "info registers mstatus")
	checks := []string{
		`Breakpoint 1, main\.tick`,
		fmt.Sprintf(`pc\s+%#x\s`, prog.Tick),
		fmt.Sprintf(`%#x <main\.counter>:\s+0x0*1\s`, prog.Counter),
		fmt.Sprintf(`pc\s+%#x\s`, prog.Tick+4),
		`riscv_virt_board\.ram`,
		`mstatus\s+0x`,
	}
	for _, re := range checks {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("gdb output lacks %q:\n%s", re, out)
		}
	}
}

// TestClientThroughServerOnStream: our client talks to our server over a
// plain byte stream; the server fronts QEMU. Exercises the binary x/X
// paths (QEMU lacks x), breakpoints, step, interrupt and monitor.
func TestClientThroughServerOnStream(t *testing.T) {
	target, prog, _ := front(t)
	stream, _ := serveOnPipe(t, target)
	c, err := client.New(stream, client.Options{Ack: true}) // exercise acks on both sides
	if err != nil {
		t.Fatal(err)
	}
	pattern := []byte("}#$*\x03 stream")
	if err := c.WriteMemory(prog.Scratch, pattern); err != nil {
		t.Fatal(err)
	}
	if b, err := c.ReadMemory(prog.Scratch, len(pattern)); err != nil || !bytes.Equal(b, pattern) {
		t.Fatalf("read back %q, %v", b, err)
	}
	if l, err := c.Layout(); err != nil || len(l.Registers) < 33 {
		t.Fatalf("layout through server: %v", err)
	}
	if err := c.SetBreakpoint(client.SoftwareBreakpoint, prog.Tick, 4); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := c.Continue(); err != nil {
			t.Fatal(err)
		}
		if st, err := c.Wait(10 * time.Second); err != nil || st.Signal != client.SigTrap {
			t.Fatalf("continue: %v %v", st, err)
		}
	}
	if pc, _ := c.Reg("pc"); pc != prog.Tick {
		t.Fatalf("pc %#x, want %#x", pc, prog.Tick)
	}
	if st, err := c.Step(); err != nil || st.Signal != client.SigTrap {
		t.Fatalf("step: %v %v", st, err)
	}
	if pc, _ := c.Reg("pc"); pc != prog.Tick+4 {
		t.Fatalf("pc after step %#x", pc)
	}
	c.ClearBreakpoint(client.SoftwareBreakpoint, prog.Tick, 4)
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := c.Interrupt(); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Wait(5 * time.Second); err != nil || st.Signal != client.SigInt {
		t.Fatalf("interrupt: %v %v", st, err)
	}
	if out, err := c.Monitor("info registers"); err != nil || !strings.Contains(out, "mstatus") {
		t.Fatalf("monitor: %v %q", err, out)
	}
}

// TestMalformedPackets: bad input gets Exx, '-' or the empty reply, and
// the session goes on.
func TestMalformedPackets(t *testing.T) {
	target, _, _ := front(t)
	stream, _ := serveOnPipe(t, target)
	conn := rsp.NewConn(stream, nil)
	items := make(chan rsp.Item, 16)
	go func() {
		for {
			it, err := conn.Read()
			if err != nil {
				close(items)
				return
			}
			if it.Kind != rsp.KindAck {
				items <- it
			}
		}
	}()
	next := func() rsp.Item {
		select {
		case it, ok := <-items:
			if !ok {
				t.Fatal("stream closed")
			}
			return it
		case <-time.After(5 * time.Second):
			t.Fatal("no reply")
		}
		return rsp.Item{}
	}
	cases := []struct{ req, want string }{
		{"mzz,4", "E16"},
		{"m80000000", "E16"},
		{"M80000000,4:zz", "E16"},
		{"X80000000,4:ab", "E16"},
		{"Z9,0,4", "E16"},
		{"pzz", "E16"},
		{"qNoSuchThing", ""},
		{"m10,4", "E01"}, // QEMU's error, passed on
		{"m80000000,4", "*"},
	}
	for _, c := range cases {
		conn.WritePacket([]byte(c.req))
		it := next()
		if c.want == "*" {
			if len(it.Payload) != 8 {
				t.Errorf("%s -> %q", c.req, it.Payload)
			}
			continue
		}
		if string(it.Payload) != c.want && !(c.want == "E01" && strings.HasPrefix(string(it.Payload), "E")) {
			t.Errorf("%s -> %q, want %q", c.req, it.Payload, c.want)
		}
	}
	// A corrupt checksum gets a nak.
	stream.Write([]byte("$g#00"))
	if it := next(); it.Kind != rsp.KindNak {
		t.Errorf("bad checksum -> %v %q", it.Kind, it.Payload)
	}
}

// TestTargetDiesWhileRunning: QEMU killed under a running gdb session is
// reported to gdb as a terminated target, and the session ends.
func TestTargetDiesWhileRunning(t *testing.T) {
	target, _, q := front(t)
	stream, done := serveOnPipe(t, target)
	c, err := client.New(stream, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	q.Kill()
	st, err := c.Wait(10 * time.Second)
	if err != nil || st.Kind != client.StopKilled {
		t.Fatalf("after QEMU died: %v %v", st, err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("session did not end")
	}
	if _, err := c.ReadMemory(0x80000000, 4); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("after session end: %v", err)
	}
}
