package proxy

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
)

// serve runs p on a free loopback port until the test ends.
func serve(t *testing.T, p *Proxy) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { p.Serve(l); close(done) }()
	t.Cleanup(func() {
		l.Close()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("proxy did not stop")
		}
	})
	return l.Addr().String()
}

// gdbBatch starts gdb-multiarch -batch on prog against addr with cmds;
// wait returns its output (failing the test if gdb hangs).
func gdbBatch(t *testing.T, prog *qemutest.Prog, addr string, cmds ...string) (wait func() string) {
	t.Helper()
	args := []string{"-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off",
		"-ex", "set architecture riscv:rv64", "-ex", "target remote " + addr}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), qemutest.GDBTimeout)
	cmd := exec.CommandContext(ctx, qemutest.Need(t, qemutest.GDBBinary), append(args, prog.Path)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return func() string {
		defer cancel()
		cmd.Wait()
		if ctx.Err() != nil {
			t.Fatalf("gdb did not finish within %v:\n%s", qemutest.GDBTimeout, out.String())
		}
		return out.String()
	}
}

// waitResumed waits until gdb's resume request is on its way to the target.
func waitResumed(t *testing.T, p *Proxy) {
	t.Helper()
	deadline := time.Now().Add(qemutest.GDBTimeout)
	for time.Now().Before(deadline) {
		if slices.ContainsFunc(p.Unanswered(), isResume) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("gdb never resumed the target")
}

// TestQEMUDiesUnderGDB: QEMU is killed while gdb waits in `continue`.
// With SIGTERM QEMU's stub sends W00 and closes; gdb must not report a
// normal exit but print why. With SIGKILL the connection just drops; gdb
// prints why too. The log names the reason and the unanswered resume.
func TestQEMUDiesUnderGDB(t *testing.T) {
	qemutest.Need(t, qemutest.QEMUBinary)
	qemutest.Need(t, qemutest.GDBBinary)
	prog := qemutest.Build(t)
	for _, c := range []struct {
		sig          syscall.Signal
		gdbSays, log string
	}{
		{syscall.SIGTERM, "gdbproxy: QEMU shut down: its stub sent W00 and closed the connection", "ended the session: QEMU shut down"},
		{syscall.SIGKILL, "gdbproxy: the target closed the connection without a stop reply", "ended the session: the target closed the connection without a stop reply"},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			q := qemutest.Start(t, prog)
			log := &syncBuffer{}
			p := &Proxy{Target: q.Addr, Log: log}
			addr := serve(t, p)
			wait := gdbBatch(t, prog, addr, "continue", "info registers pc")
			waitResumed(t, p)
			if err := q.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			out := wait()
			lg := log.String()
			t.Logf("gdb:\n%s\nproxy log:\n%s", out, lg)
			if !strings.Contains(out, c.gdbSays) {
				t.Errorf("gdb was not told why: want %q", c.gdbSays)
			}
			if strings.Contains(out, "exited normally") {
				t.Error("gdb reports a normal exit")
			}
			if !strings.Contains(lg, c.log) || !strings.Contains(lg, "unanswered: ") ||
				!(strings.Contains(lg, "unanswered: vCont;c") || strings.Contains(lg, "unanswered: c ")) {
				t.Errorf("the log lacks the reason %q or the unanswered resume", c.log)
			}
		})
	}
}

// TestNoTarget: with nothing listening at the target address gdb gets an
// error message naming it, not a reset.
func TestNoTarget(t *testing.T) {
	qemutest.Need(t, qemutest.GDBBinary)
	prog := qemutest.Build(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close() // nothing listens there now
	log := &syncBuffer{}
	addr := serve(t, &Proxy{Target: dead, Log: log})
	out := gdbBatch(t, prog, addr, "info registers pc")()
	t.Logf("gdb:\n%s\nproxy log:\n%s", out, log.String())
	want := "gdbproxy: no target at " + dead + " (connection refused)"
	if !strings.Contains(out, want) {
		t.Errorf("gdb output lacks %q", want)
	}
	if strings.Contains(out, "reset by peer") || strings.Contains(out, "Remote connection closed") {
		t.Error("gdb saw a dropped connection instead of the message")
	}
}

// TestSecondClientRefused: while one debugger holds the session a second
// gdb is refused with a message at once, and the first session goes on.
func TestSecondClientRefused(t *testing.T) {
	qemutest.Need(t, qemutest.QEMUBinary)
	qemutest.Need(t, qemutest.GDBBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	log := &syncBuffer{}
	p := &Proxy{Target: q.Addr, Log: log}
	addr := serve(t, p)
	first, err := client.Dial(addr, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	start := time.Now()
	out := gdbBatch(t, prog, addr, "info registers pc")()
	took := time.Since(start)
	t.Logf("second gdb ended after %v:\n%s\nproxy log:\n%s", took, out, log.String())
	if !strings.Contains(out, "gdbproxy: another gdb (") || !strings.Contains(out, "is connected through this proxy") {
		t.Errorf("the second gdb was not told why it was refused")
	}
	// The first session is untouched: it still reads memory.
	if b, err := first.ReadMemory(prog.Counter, 8); err != nil || len(b) != 8 {
		t.Fatalf("first session after the refusal: %v", err)
	}
	if !strings.Contains(log.String(), "refused gdb ") {
		t.Error("the log lacks the refusal")
	}
}
