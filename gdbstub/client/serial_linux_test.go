package client

import (
	"bytes"
	"testing"
	"time"

	"copslab/gdbstub/internal/qemutest"
)

// TestQEMUOverSerial speaks to QEMU's stub over a pseudo-terminal in raw
// mode — the same kind of byte stream as a UART — instead of TCP.
func TestQEMUOverSerial(t *testing.T) {
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	_, tty := qemutest.StartSerial(t, prog)
	c, err := New(tty, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// Closing a tty does not interrupt a blocked read; end the session by
	// killing QEMU (cleanup) and let the reader see the hangup.
	if pc, err := c.Reg("pc"); err != nil || pc != prog.Entry {
		t.Fatalf("pc = %#x, %v", pc, err)
	}
	data := []byte("serial }#$* ok")
	if err := c.WriteMemory(prog.Scratch, data); err != nil {
		t.Fatal(err)
	}
	if b, err := c.ReadMemory(prog.Scratch, len(data)); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("read back %q, %v", b, err)
	}
	if err := c.SetBreakpoint(SoftwareBreakpoint, prog.Tick, 4); err != nil {
		t.Fatal(err)
	}
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Wait(10 * time.Second); err != nil || st.Signal != SigTrap {
		t.Fatalf("breakpoint over serial: %v %v", st, err)
	}
	if pc, _ := c.Reg("pc"); pc != prog.Tick {
		t.Fatalf("pc %#x, want %#x", pc, prog.Tick)
	}
}
