package client

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
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
