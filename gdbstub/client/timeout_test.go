package client

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"copslab/gdbstub/rsp"
)

// silentPeer accepts one connection and runs serve on it.
func silentPeer(t *testing.T, serve func(net.Conn)) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		nc, err := l.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		serve(nc)
	}()
	return l.Addr().String()
}

// A peer that reads but never answers: the call fails with ErrTimeout
// after the configured time and says what it was waiting for.
func TestTimeout(t *testing.T) {
	addr := silentPeer(t, func(nc net.Conn) { io.Copy(io.Discard, nc) })
	start := time.Now()
	_, err := Dial(addr, Options{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "qSupported") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %v", d)
	}
}

// A peer that sends noise and hangs up: ErrClosed, not a hang.
func TestPeerHangsUp(t *testing.T) {
	addr := silentPeer(t, func(nc net.Conn) { nc.Write([]byte("garbage $trunc")) })
	_, err := Dial(addr, Options{Timeout: 5 * time.Second})
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v", err)
	}
}

// A stub that answers one request too late: the late reply must not be
// taken for the next request's, so the client refuses with ErrDesync.
func TestLateReplyDesync(t *testing.T) {
	addr := silentPeer(t, func(nc net.Conn) {
		conn := rsp.NewConn(nc, nil)
		for {
			it, err := conn.Read()
			if err != nil {
				return
			}
			if it.Kind != rsp.KindPacket {
				continue
			}
			conn.WriteAck()
			switch p := string(it.Payload); {
			case strings.HasPrefix(p, "qSupported"):
				conn.WritePacket([]byte("PacketSize=1000"))
			case p == "g":
				time.Sleep(400 * time.Millisecond) // longer than the timeout
				conn.WritePacket([]byte("00"))
			default:
				conn.WritePacket([]byte("OK"))
			}
		}
	})
	c, err := Dial(addr, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ReadRegisters(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("slow g: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // the late "00" arrives
	_, err = c.ReadMemory(0, 1)
	if !errors.Is(err, ErrDesync) || !strings.Contains(err.Error(), "read registers (g) timed out") {
		t.Fatalf("after a timeout: %v", err)
	}
	t.Log(err)
}
