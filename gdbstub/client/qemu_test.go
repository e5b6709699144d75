package client

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"copslab/gdbstub/internal/qemutest"
	"copslab/gdbstub/rsp"
)

// session builds the test program, starts QEMU halted and connects.
func session(t testing.TB) (*Client, *qemutest.Prog, *qemutest.QEMU) {
	t.Helper()
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	c, err := Dial(q.Addr, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, prog, q
}

func u64(b []byte) uint64 {
	var buf [8]byte
	copy(buf[:], b)
	return binary.LittleEndian.Uint64(buf[:])
}

func TestQEMUHandshakeAndLayout(t *testing.T) {
	c, prog, _ := session(t)
	if c.PacketSize() < 1000 {
		t.Errorf("PacketSize = %d, QEMU offers 4096", c.PacketSize())
	}
	if c.Features()["qXfer:features:read"] != "+" {
		t.Errorf("features = %v", c.Features())
	}
	stop, err := c.Halted()
	if err != nil || stop.Kind != StopSignalInfo || stop.Signal != SigTrap {
		t.Fatalf("Halted = %+v, %v", stop, err)
	}
	l, err := c.Layout()
	if err != nil {
		t.Fatal(err)
	}
	if l.Arch != "riscv:rv64" {
		t.Errorf("arch = %q", l.Arch)
	}
	for name, num := range map[string]int{"zero": 0, "a0": 10, "pc": 32} {
		if r, ok := l.ByName(name); !ok || r.Num != num || r.Size() != 8 {
			t.Errorf("register %s = %+v (found %v), want num %d size 8", name, r, ok, num)
		}
	}
	if _, ok := l.ByName("mstatus"); !ok {
		t.Errorf("no mstatus in the CSR feature; registers: %d", len(l.Registers))
	}
	pc, err := c.Reg("pc")
	if err != nil || pc != prog.Entry {
		t.Fatalf("pc = %#x, %v; want entry %#x", pc, err, prog.Entry)
	}
	ms, err := c.Reg("mstatus")
	if err != nil {
		t.Fatalf("mstatus: %v", err)
	}
	t.Logf("%d registers, mstatus=%#x", len(l.Registers), ms)
}

func TestQEMURegisters(t *testing.T) {
	c, prog, _ := session(t)
	l, err := c.Layout()
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.ReadRegisters()
	if err != nil {
		t.Fatal(err)
	}
	slots := l.GPacket(len(g))
	if len(slots) != 33 || slots[32].Name != "pc" {
		t.Fatalf("g packet of %d bytes maps to %d registers", len(g), len(slots))
	}
	if pc := u64(g[slots[32].Offset:]); pc != prog.Entry {
		t.Fatalf("pc from g = %#x, want %#x", pc, prog.Entry)
	}
	// p/P on a single register.
	if err := c.SetReg("a1", 0x1122334455667788); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Reg("a1"); err != nil || v != 0x1122334455667788 {
		t.Fatalf("a1 = %#x, %v", v, err)
	}
	// G writes the whole block; change a2 and read it back with p.
	a2, _ := l.ByName("a2")
	binary.LittleEndian.PutUint64(g[a2.Num*8:], 0xdeadbeef)
	if err := c.WriteRegisters(g); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Reg("a2"); err != nil || v != 0xdeadbeef {
		t.Fatalf("a2 after G = %#x, %v", v, err)
	}
	// A register QEMU does not have is reported as a stub error.
	if _, err := c.ReadRegister(0x7fff); !errors.Is(err, ErrRemote) && !errors.Is(err, ErrUnsupported) {
		t.Fatalf("bogus register: err = %v", err)
	}
}

func TestQEMUMemory(t *testing.T) {
	c, prog, _ := session(t)
	// The program's first instruction words, read through m (QEMU has no x).
	code, err := c.ReadMemory(prog.Entry, 16)
	if err != nil || len(code) != 16 {
		t.Fatalf("read code: %d bytes, %v", len(code), err)
	}
	// A write with every byte that needs escaping, through X.
	pattern := []byte("#$}*\x00\xff plain text}}##")
	if err := c.WriteMemory(prog.Scratch, pattern); err != nil {
		t.Fatal(err)
	}
	back, err := c.ReadMemory(prog.Scratch, len(pattern))
	if err != nil || !bytes.Equal(back, pattern) {
		t.Fatalf("read back %q, %v; want %q", back, err, pattern)
	}
	// A read larger than a packet is split: 64 KiB of RAM.
	big, err := c.ReadMemory(0x80000000, 64<<10)
	if err != nil || len(big) != 64<<10 {
		t.Fatalf("big read: %d bytes, %v", len(big), err)
	}
	// Large write split too, then compared.
	blob := bytes.Repeat([]byte{0x7d, 0x23, 1, 2}, 3000)
	addr := uint64(0x80100000)
	if err := c.WriteMemory(addr, blob); err != nil {
		t.Fatal(err)
	}
	if back, err := c.ReadMemory(addr, len(blob)); err != nil || !bytes.Equal(back, blob) {
		t.Fatalf("big write read back differs: %v", err)
	}
	// Unmapped memory is an Exx from QEMU, not a hang or a panic.
	_, err = c.ReadMemory(0x10, 8)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrRemote) || !strings.Contains(e.Packet, "m10,8") {
		t.Fatalf("unmapped read: err = %v", err)
	}
	t.Logf("binary read %v, binary write %v", c.xRead == yes, c.xWrite == yes)
}

func TestQEMUBreakStepCounter(t *testing.T) {
	c, prog, _ := session(t)
	if err := c.SetBreakpoint(SoftwareBreakpoint, prog.Tick, 4); err != nil {
		t.Fatal(err)
	}
	var last uint64
	for i := 0; i < 3; i++ {
		if err := c.Continue(); err != nil {
			t.Fatal(err)
		}
		stop, err := c.Wait(10 * time.Second)
		if err != nil || stop.Signal != SigTrap {
			t.Fatalf("continue %d: %v, %v", i, stop, err)
		}
		if pc, _ := c.Reg("pc"); pc != prog.Tick {
			t.Fatalf("stopped at %#x, want main.tick %#x", pc, prog.Tick)
		}
		b, err := c.ReadMemory(prog.Counter, 8)
		if err != nil {
			t.Fatal(err)
		}
		if v := u64(b); i > 0 && v != last+1 {
			t.Fatalf("counter %d after continue %d, previous %d", v, i, last)
		} else {
			last = v
		}
	}
	// Single-step: pc advances by one 4-byte instruction.
	pc0, _ := c.Reg("pc")
	stop, err := c.Step()
	if err != nil || stop.Signal != SigTrap {
		t.Fatalf("step: %v, %v", stop, err)
	}
	if pc1, _ := c.Reg("pc"); pc1 != pc0+4 {
		t.Fatalf("pc after step %#x, want %#x", pc1, pc0+4)
	}
	if err := c.ClearBreakpoint(SoftwareBreakpoint, prog.Tick, 4); err != nil {
		t.Fatal(err)
	}
	// vCont step works the same.
	if err := c.Resume("s"); err != nil {
		t.Fatal(err)
	}
	if stop, err := c.Wait(5 * time.Second); err != nil || stop.Signal != SigTrap {
		t.Fatalf("vCont;s: %v, %v", stop, err)
	}
	if pc2, _ := c.Reg("pc"); pc2 != pc0+8 {
		t.Fatalf("pc after vCont;s %#x, want %#x", pc2, pc0+8)
	}
}

func TestQEMUWatchpoints(t *testing.T) {
	c, prog, _ := session(t)
	tests := []struct {
		kind   BreakKind
		addr   uint64
		size   int
		reason string
	}{
		{HardwareBreakpoint, prog.Tick, 4, ""},
		{WriteWatchpoint, prog.Counter, 8, "watch"},
		{ReadWatchpoint, prog.Counter, 8, "rwatch"},
		{AccessWatchpoint, prog.Counter, 8, "awatch"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			err := c.SetBreakpoint(tt.kind, tt.addr, tt.size)
			if errors.Is(err, ErrUnsupported) {
				t.Skipf("QEMU does not offer %v", tt.kind)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.ClearBreakpoint(tt.kind, tt.addr, tt.size)
			if err := c.Continue(); err != nil {
				t.Fatal(err)
			}
			stop, err := c.Wait(10 * time.Second)
			if err != nil || stop.Signal != SigTrap || stop.Reason != tt.reason {
				t.Fatalf("stop = %+v, %v; want reason %q", stop, err, tt.reason)
			}
			if tt.reason != "" && stop.Addr != tt.addr {
				t.Fatalf("watch address %#x, want %#x", stop.Addr, tt.addr)
			}
			if tt.reason == "" {
				if pc, _ := c.Reg("pc"); pc != tt.addr {
					t.Fatalf("pc %#x, want %#x", pc, tt.addr)
				}
			}
			t.Logf("%s", stop.Raw)
		})
	}
}

func TestQEMUInterrupt(t *testing.T) {
	c, prog, _ := session(t)
	if err := c.Resume("c"); err != nil { // vCont;c
		t.Fatal(err)
	}
	// While running, requests are refused rather than left hanging.
	if _, err := c.ReadMemory(prog.Counter, 8); !errors.Is(err, ErrRunning) {
		t.Fatalf("read while running: %v", err)
	}
	if _, err := c.Wait(200 * time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("wait on a looping target: %v", err)
	}
	if err := c.Interrupt(); err != nil {
		t.Fatal(err)
	}
	stop, err := c.Wait(5 * time.Second)
	if err != nil || stop.Signal != SigInt {
		t.Fatalf("after interrupt: %v, %v", stop, err)
	}
	b, err := c.ReadMemory(prog.Counter, 8)
	if err != nil || u64(b) == 0 {
		t.Fatalf("counter after running: %x, %v", b, err)
	}
}

func TestQEMUMonitor(t *testing.T) {
	c, _, _ := session(t)
	out, err := c.Monitor("info registers")
	if err != nil || !strings.Contains(out, "mstatus") {
		t.Fatalf("info registers: %v\n%s", err, out)
	}
	out, err = c.Monitor("info mtree")
	if err != nil || !strings.Contains(out, "riscv_virt_board.ram") {
		t.Fatalf("info mtree: %v\n%s", err, out)
	}
}

func TestQEMUKilled(t *testing.T) {
	c, prog, q := session(t)
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	q.Kill()
	start := time.Now()
	_, err := c.Wait(10 * time.Second)
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("wait after kill: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("took %v to notice", time.Since(start))
	}
	// Every later call fails the same way at once.
	if _, err := c.ReadMemory(prog.Counter, 8); !errors.Is(err, ErrClosed) {
		t.Fatalf("read after kill: %v", err)
	}
	select {
	case <-c.Done():
	default:
		t.Fatal("Done not closed")
	}
	t.Logf("error after kill: %v", err)
}

func TestQEMUKilledWhileHalted(t *testing.T) {
	c, prog, q := session(t)
	q.Kill()
	_, err := c.ReadMemory(prog.Counter, 8)
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("read after kill: %v", err)
	}
}

// TestQEMUAckMode stays in ack mode: every packet is acknowledged both ways.
func TestQEMUAckMode(t *testing.T) {
	qemutest.Need(t, qemutest.QEMUBinary)
	prog := qemutest.Build(t)
	q := qemutest.Start(t, prog)
	var acks atomic.Int32
	log := func(dir rsp.Direction, _ time.Time, raw []byte) {
		if dir == rsp.Received && len(raw) == 1 && raw[0] == '+' {
			acks.Add(1)
		}
	}
	c, err := Dial(q.Addr, Options{Ack: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.conn.NoAck() {
		t.Fatal("switched to no-ack mode")
	}
	if _, err := c.ReadMemory(prog.Entry, 64); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Step(); err != nil || st.Signal != SigTrap {
		t.Fatalf("step: %v %v", st, err)
	}
	if n := acks.Load(); n < 3 {
		t.Fatalf("%d acks from QEMU for 3 packets", n)
	}
}
