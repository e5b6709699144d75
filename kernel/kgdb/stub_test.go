package kgdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	"copslab/gdbstub/client"
	"copslab/gdbstub/server"
)

// fakeProc is a process of two threads over 64 KiB of memory at 0x10000.
type fakeProc struct {
	mem     []byte
	threads []*fakeThread
	killed  bool
}

type fakeThread struct {
	tid  int
	x, f [32]uint64
	pc   uint64
	fcsr uint64
}

const memBase = 0x10000

func (p *fakeProc) Threads() []Thread {
	var out []Thread
	for _, t := range p.threads {
		out = append(out, Thread{TID: t.tid, X: &t.x, PC: &t.pc, F: &t.f, FCSR: &t.fcsr})
	}
	return out
}

func (p *fakeProc) span(addr uint64, n int) ([]byte, error) {
	if addr < memBase || addr+uint64(n) > memBase+uint64(len(p.mem)) {
		return nil, errors.New("fault")
	}
	return p.mem[addr-memBase : addr-memBase+uint64(n)], nil
}

func (p *fakeProc) Read(addr uint64, b []byte) error {
	s, err := p.span(addr, len(b))
	copy(b, s)
	return err
}

func (p *fakeProc) Poke(addr uint64, b []byte) error {
	s, err := p.span(addr, len(b))
	copy(s, b)
	return err
}

func (p *fakeProc) Kill() { p.killed = true }

// TestStubSession drives the stub with the project's RSP client over a
// pipe while a fake run loop plays the kernel: breakpoints must be in
// memory exactly while the process runs, a step must plant breakpoints
// on both successors of a branch, registers and threads must read back.
func TestStubSession(t *testing.T) {
	p := &fakeProc{mem: make([]byte, 64<<10)}
	for i := 0; i < len(p.mem); i += 4 {
		binary.LittleEndian.PutUint32(p.mem[i:], 0x00150513) // addi a0,a0,1
	}
	const branch = 0x10100
	binary.LittleEndian.PutUint32(p.mem[branch-memBase:], 0x00b50463) // beq a0,a1,+8
	p.threads = []*fakeThread{{tid: 7, pc: 0x10000}, {tid: 8, pc: 0x10200}}
	p.threads[0].x[10] = 42
	p.threads[0].f[3] = 0x400921fb54442d18 // pi
	p.threads[0].fcsr = 0x25               // frm 1, fflags 5

	stub := New(p)
	a, b := net.Pipe()
	defer a.Close()
	go func() {
		server.Serve(b, stub, server.Options{})
		stub.Detach()
	}()

	// The fake loop: each run, thread 8 runs first and then thread 7 (the
	// kernel calls Enter/Leave around each); it reports what was in memory
	// for each, then stops thread 7 where the test says.
	type run struct{ bpAt, other []uint64 }
	runs := make(chan run)
	stopAt := make(chan struct {
		tid int
		pc  uint64
	})
	scan := func() (at []uint64) {
		for addr := uint64(memBase); addr+4 <= memBase+uint64(len(p.mem)); addr += 2 {
			if bytes.Equal(p.mem[addr-memBase:addr-memBase+4], ebreak) {
				at = append(at, addr)
			}
		}
		return at
	}
	go func() {
		for {
			stub.WaitRun()
			var r run
			stub.Enter(8)
			r.other = scan()
			stub.Leave(0)
			stub.Enter(7)
			r.bpAt = scan()
			runs <- r
			s, ok := <-stopAt
			if !ok {
				return
			}
			stub.Leave(s.pc)
			for _, th := range p.threads {
				if th.tid == s.tid {
					th.pc = s.pc
				}
			}
			stub.Report(stub.StopAt(s.tid))
		}
	}()

	c, err := client.New(a, client.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if pc, err := c.Reg("pc"); err != nil || pc != 0x10000 {
		t.Fatalf("pc = %#x, %v", pc, err)
	}
	if a0, err := c.Reg("a0"); err != nil || a0 != 42 {
		t.Errorf("a0 = %d, %v", a0, err)
	}
	if f3, err := c.Reg("f3"); err != nil || f3 != 0x400921fb54442d18 {
		t.Errorf("f3 = %#x, %v", f3, err)
	}
	if frm, err := c.Reg("frm"); err != nil || frm != 1 {
		t.Errorf("frm = %d, %v", frm, err)
	}
	if err := c.SetBreakpoint(client.SoftwareBreakpoint, 0x10040, 4); err != nil {
		t.Fatal(err)
	}
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	if r := <-runs; len(r.bpAt) != 1 || r.bpAt[0] != 0x10040 || len(r.other) != 1 {
		t.Errorf("while running, ebreaks at %#x and %#x, want [0x10040] for every thread", r.bpAt, r.other)
	}
	stopAt <- struct {
		tid int
		pc  uint64
	}{7, 0x10040}
	st, err := c.Wait(5 * time.Second)
	if err != nil || st.Signal != 5 || st.Thread != "7" {
		t.Fatalf("stop %+v, %v", st, err)
	}
	if m, _ := c.ReadMemory(0x10040, 4); binary.LittleEndian.Uint32(m) != 0x00150513 {
		t.Errorf("stopped: memory at the breakpoint %x, want the program's instruction", m)
	}

	// Step the branch: breakpoints on both successors (and gdb's own).
	if _, err := c.Exchange("set pc", "P20="+leHex(branch)); err != nil {
		t.Fatal(err)
	}
	if err := c.ClearBreakpoint(client.SoftwareBreakpoint, 0x10040, 4); err != nil {
		t.Fatal(err)
	}
	done := make(chan client.StopReply)
	go func() {
		st, err := c.Step()
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	if r := <-runs; len(r.bpAt) != 2 || r.bpAt[0] != branch+4 || r.bpAt[1] != branch+8 || len(r.other) != 0 {
		t.Errorf("stepping a branch: ebreaks at %#x while it runs, want [%#x %#x]; %#x while another thread runs, want none",
			r.bpAt, branch+4, branch+8, r.other)
	}
	stopAt <- struct {
		tid int
		pc  uint64
	}{7, branch + 8}
	if st := <-done; st.Signal != 5 {
		t.Errorf("step stop %+v", st)
	}
	if pc, _ := c.Reg("pc"); pc != branch+8 {
		t.Errorf("after the step pc = %#x", pc)
	}

	out, err := c.Exchange("threads", "qfThreadInfo")
	if err != nil || string(out) != "m7,8" {
		t.Errorf("qfThreadInfo = %q, %v", out, err)
	}
	if _, err := c.Exchange("select", "Hg8"); err != nil {
		t.Fatal(err)
	}
	if pc, _ := c.Reg("pc"); pc != 0x10200 {
		t.Errorf("thread 8 pc = %#x", pc)
	}
	if out, err := c.Exchange("kill", "vKill;1"); err != nil || string(out) != "OK" || !p.killed {
		t.Errorf("vKill: %q, %v; killed %v", out, err, p.killed)
	}
	close(stopAt)
}

func leHex(v uint64) string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 16)
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
