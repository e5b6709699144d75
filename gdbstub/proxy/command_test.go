package proxy

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
)

func TestCommandRefusesRemote(t *testing.T) {
	var out strings.Builder
	err := Command(context.Background(), []string{"--listen", "0.0.0.0:0"}, &out, nil)
	if err == nil || !strings.Contains(err.Error(), "--allow-remote") {
		t.Fatalf("err = %v", err)
	}
	if err := Command(context.Background(), []string{"--bogus"}, &out, nil); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

// TestCommand runs the subcommand against QEMU and drives it with the client.
func TestCommand(t *testing.T) {
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Command(ctx, []string{"--listen", "127.0.0.1:0", "--target", q.Addr}, out,
			func(a string) { addrc <- a })
	}()
	defer func() {
		cancel()
		q.Kill()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Command: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Command did not return after cancel")
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("Command ended: %v", err)
	}
	c, err := client.Dial(addr, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if b, err := c.ReadMemory(prog.Counter, 8); err != nil || len(b) != 8 {
		t.Fatalf("read through gdbproxy: %v", err)
	}
	if want := fmt.Sprintf("m%x,8  =>  ", prog.Counter); !strings.Contains(out.String(), want) {
		t.Errorf("log lacks the memory read:\n%s", out.String())
	}
}
