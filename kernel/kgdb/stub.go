package kgdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"copslab/gdbstub/server"
)

// Process is what the stub needs of the debugged process; the kernel
// implements it over kernel/proc.
type Process interface {
	// Threads returns the live threads, in creation order.
	Threads() []Thread
	// Read copies user memory at addr into b.
	Read(addr uint64, b []byte) error
	// Poke writes user memory regardless of page permissions.
	Poke(addr uint64, b []byte) error
	// Kill ends the process (gdb's kill).
	Kill()
}

// Thread is one thread's saved user state, changed in place.
type Thread struct {
	TID  int
	X    *[32]uint64 // x0..x31 (x0 ignored)
	PC   *uint64
	F    *[32]uint64 // f0..f31
	FCSR *uint64
	// State says what the thread waits for ("runnable", "futex", …),
	// shown by gdb's info threads.
	State string
}

// Breakpoint instructions.
var (
	ebreak  = []byte{0x73, 0x00, 0x10, 0x00} // ebreak
	cEbreak = []byte{0x02, 0x90}             // c.ebreak
)

// Stub is the gdb target for one process (server.Target with registers,
// target description, breakpoints, threads and kill). The kernel's run
// loop and the gdb session meet in Resume (session side) and
// WaitRun/Report (loop side).
type Stub struct {
	p Process

	mu       sync.Mutex
	bps      map[uint64]int    // gdb's breakpoints: address → length (2 or 4)
	temps    []uint64          // a step's breakpoints: the stepping thread's next pcs
	stepTID  int               // the stepping thread (0: not stepping)
	inserted map[uint64][]byte // gdb's breakpoints in memory now: original bytes
	tempsIn  map[uint64][]byte // step breakpoints in memory now (only while stepTID runs)
	cur      int               // thread for g/p/m (Hg); 0: the first
	exited   *server.Stop      // set once the process has ended

	run   chan bool // Resume → loop
	stops chan server.Stop
	gone  chan struct{} // closed by Detach: the loop runs on unattended
	once  sync.Once
	intr  atomic.Bool
}

// New makes the stub for p, which is stopped.
func New(p Process) *Stub {
	return &Stub{p: p, bps: map[uint64]int{}, inserted: map[uint64][]byte{}, tempsIn: map[uint64][]byte{},
		run: make(chan bool), stops: make(chan server.Stop), gone: make(chan struct{})}
}

// threadID is a thread's id on the wire (hex).
func threadID(tid int) string { return strconv.FormatInt(int64(tid), 16) }

// thread returns the selected thread (Hg), or the first.
func (s *Stub) thread() (Thread, error) {
	ts := s.p.Threads()
	if len(ts) == 0 {
		return Thread{}, errors.New("kgdb: the process has no threads")
	}
	for _, t := range ts {
		if t.TID == s.cur {
			return t, nil
		}
	}
	return ts[0], nil
}

// The register file gdb sees (target.xml), in 'g' packet order: x0..x31,
// pc, f0..f31 (8 bytes each; gdb numbers 0..64), then fflags, frm and fcsr
// (4 bytes each; gdb numbers 66..68, its CSR numbers + 65), little-endian.
// gdb needs the FPU registers: it refuses a target without them for a
// program built for the double-float ABI.
type reg struct {
	num, size int
	get       func(Thread) uint64
	set       func(Thread, uint64)
}

var regs = func() []reg {
	var r []reg
	for i := range 32 {
		r = append(r, reg{i, 8, func(t Thread) uint64 {
			if i == 0 {
				return 0
			}
			return t.X[i]
		}, func(t Thread, v uint64) {
			if i != 0 {
				t.X[i] = v
			}
		}})
	}
	r = append(r, reg{32, 8, func(t Thread) uint64 { return *t.PC }, func(t Thread, v uint64) { *t.PC = v }})
	for i := range 32 {
		r = append(r, reg{33 + i, 8, func(t Thread) uint64 { return t.F[i] }, func(t Thread, v uint64) { t.F[i] = v }})
	}
	r = append(r,
		reg{66, 4, func(t Thread) uint64 { return *t.FCSR & 0x1f }, func(t Thread, v uint64) { *t.FCSR = *t.FCSR&^0x1f | v&0x1f }},
		reg{67, 4, func(t Thread) uint64 { return *t.FCSR >> 5 & 7 }, func(t Thread, v uint64) { *t.FCSR = *t.FCSR&^0xe0 | (v&7)<<5 }},
		reg{68, 4, func(t Thread) uint64 { return *t.FCSR & 0xff }, func(t Thread, v uint64) { *t.FCSR = v & 0xff }},
	)
	return r
}()

// gSize is the length of a 'g' packet's data.
var gSize = func() (n int) {
	for _, r := range regs {
		n += r.size
	}
	return n
}()

func putReg(b []byte, r reg, v uint64) []byte {
	if r.size == 4 {
		return binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return binary.LittleEndian.AppendUint64(b, v)
}

func getReg(b []byte, r reg) uint64 {
	if r.size == 4 {
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// ReadRegisters answers 'g'.
func (s *Stub) ReadRegisters() ([]byte, error) {
	t, err := s.thread()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, gSize)
	for _, r := range regs {
		b = putReg(b, r, r.get(t))
	}
	return b, nil
}

// WriteRegisters answers 'G'.
func (s *Stub) WriteRegisters(b []byte) error {
	if len(b) < gSize {
		return fmt.Errorf("kgdb: G with %d bytes, want %d", len(b), gSize)
	}
	t, err := s.thread()
	if err != nil {
		return err
	}
	for _, r := range regs {
		r.set(t, getReg(b, r))
		b = b[r.size:]
	}
	return nil
}

// regByNum finds a register by gdb number.
func regByNum(n int) (reg, bool) {
	for _, r := range regs {
		if r.num == n {
			return r, true
		}
	}
	return reg{}, false
}

// ReadRegister answers 'p'.
func (s *Stub) ReadRegister(n int) ([]byte, error) {
	r, ok := regByNum(n)
	if !ok {
		return nil, server.ErrUnsupported
	}
	t, err := s.thread()
	if err != nil {
		return nil, err
	}
	return putReg(nil, r, r.get(t)), nil
}

// WriteRegister answers 'P'.
func (s *Stub) WriteRegister(n int, val []byte) error {
	r, ok := regByNum(n)
	if !ok || len(val) != r.size {
		return server.ErrUnsupported
	}
	t, err := s.thread()
	if err != nil {
		return err
	}
	r.set(t, getReg(val, r))
	return nil
}

// ReadMemory answers 'm'/'x'. Breakpoints are out of memory while gdb
// looks, so it reads the program's own instructions.
func (s *Stub) ReadMemory(addr uint64, n int) ([]byte, error) {
	b := make([]byte, n)
	if err := s.p.Read(addr, b); err != nil {
		return nil, err
	}
	return b, nil
}

// WriteMemory answers 'M'/'X'; text is writable for the debugger.
func (s *Stub) WriteMemory(addr uint64, data []byte) error { return s.p.Poke(addr, data) }

// TargetXML describes the registers: RISC-V's cpu feature, 64-bit.
func (s *Stub) TargetXML(annex string) ([]byte, error) {
	if annex != "target.xml" {
		return nil, fmt.Errorf("kgdb: no annex %q", annex)
	}
	return []byte(targetXML), nil
}

// SetBreakpoint records a software breakpoint (Z0); gdb sends length 2
// for a compressed instruction, 4 otherwise.
func (s *Stub) SetBreakpoint(kind int, addr uint64, size int) error {
	if kind != 0 {
		return server.ErrUnsupported // no watchpoints: no trigger module here
	}
	if size != 2 && size != 4 {
		return fmt.Errorf("kgdb: breakpoint length %d", size)
	}
	orig := make([]byte, size)
	if err := s.p.Read(addr, orig); err != nil {
		return err
	}
	s.mu.Lock()
	s.bps[addr] = size
	s.mu.Unlock()
	return nil
}

// ClearBreakpoint removes one (z0).
func (s *Stub) ClearBreakpoint(kind int, addr uint64, size int) error {
	if kind != 0 {
		return server.ErrUnsupported
	}
	s.mu.Lock()
	delete(s.bps, addr)
	s.mu.Unlock()
	return nil
}

// Threads lists the process's threads with their TIDs.
func (s *Stub) Threads() ([]server.Thread, error) {
	var out []server.Thread
	for _, t := range s.p.Threads() {
		extra := fmt.Sprintf("tid %d pc %#x", t.TID, *t.PC)
		if t.State != "" {
			extra = fmt.Sprintf("tid %d %s pc %#x", t.TID, t.State, *t.PC)
		}
		out = append(out, server.Thread{ID: threadID(t.TID), Extra: extra})
	}
	return out, nil
}

// SelectThread handles Hg (registers and memory of that thread); every
// resume runs all threads (all-stop), so Hc only checks the id.
func (s *Stub) SelectThread(op byte, id string) error {
	if id == "-1" || id == "0" {
		return nil
	}
	tid, err := strconv.ParseInt(id, 16, 64)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(s.p.Threads(), func(t Thread) bool { return int64(t.TID) == tid }) {
		return fmt.Errorf("kgdb: no thread %s", id)
	}
	if op == 'g' {
		s.cur = int(tid)
	}
	return nil
}

// Kill ends the process; the loop reports its end.
func (s *Stub) Kill() error {
	s.p.Kill()
	return nil
}

// Interrupt asks the loop to stop the process at its next interrupt (the
// timer tick at the latest).
func (s *Stub) Interrupt() error {
	s.intr.Store(true)
	return nil
}

// Resume runs the process until a breakpoint, the end of a step, an
// interrupt, or its end; step runs the selected thread one instruction
// (the others run too until it gets there).
func (s *Stub) Resume(step bool) (server.Stop, error) {
	if s.exited != nil {
		return *s.exited, nil
	}
	if err := s.insert(step); err != nil {
		return server.Stop{}, err
	}
	select {
	case s.run <- true:
	case <-s.gone:
		return server.Stop{}, errors.New("kgdb: detached")
	}
	st := <-s.stops
	s.remove()
	if st.Exited || st.Killed {
		s.exited = &st
	}
	if st.Thread != "" {
		s.cur, _ = parseTID(st.Thread)
	}
	return st, nil
}

func parseTID(id string) (int, error) {
	v, err := strconv.ParseInt(id, 16, 64)
	return int(v), err
}

// insert writes gdb's breakpoints into memory and, for a step, works out
// the selected thread's possible next instructions. Those step
// breakpoints are in memory only while that thread runs (Enter/Leave):
// every thread of the process runs the same code, and another thread
// must not stop at them (Go's runtime threads sit in the same futex
// code, for instance).
func (s *Stub) insert(step bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.temps, s.stepTID = nil, 0
	if step {
		t, err := s.thread()
		if err != nil {
			return err
		}
		var w [4]byte
		if err := s.p.Read(*t.PC, w[:2]); err != nil {
			return err
		}
		if insnLen(binary.LittleEndian.Uint16(w[:])) == 4 {
			if err := s.p.Read(*t.PC+2, w[2:]); err != nil {
				return err
			}
		}
		s.temps, s.stepTID = NextPCs(*t.PC, binary.LittleEndian.Uint32(w[:]), t.X), t.TID
	}
	for addr, size := range s.bps {
		if err := s.put(s.inserted, addr, size); err != nil {
			s.removeLocked()
			return fmt.Errorf("kgdb: breakpoint at %#x: %w", addr, err)
		}
	}
	return nil
}

// put writes a breakpoint at addr (size 0: as long as the instruction
// there) unless one is there already, and records the original bytes in
// into.
func (s *Stub) put(into map[uint64][]byte, addr uint64, size int) error {
	if _, done := s.inserted[addr]; done {
		return nil
	}
	if _, done := s.tempsIn[addr]; done {
		return nil
	}
	if size == 0 {
		var lo [2]byte
		if err := s.p.Read(addr, lo[:]); err != nil {
			return err
		}
		size = int(insnLen(binary.LittleEndian.Uint16(lo[:])))
	}
	orig := make([]byte, size)
	if err := s.p.Read(addr, orig); err != nil {
		return err
	}
	bp := ebreak
	if size == 2 {
		bp = cEbreak
	}
	if err := s.p.Poke(addr, bp); err != nil {
		return err
	}
	into[addr] = orig
	return nil
}

// Enter is called by the loop before thread tid runs: while a step is in
// progress, the step breakpoints go in for the stepping thread only.
func (s *Stub) Enter(tid int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tid != s.stepTID || s.stepTID == 0 {
		return
	}
	for _, addr := range s.temps {
		s.put(s.tempsIn, addr, 0) // an unmapped successor cannot be reached either
	}
}

// Leave is called by the loop when the thread that ran has trapped: the
// step breakpoints come out again. It reports whether pc (where the
// thread stopped) was one of them.
func (s *Stub) Leave(pc uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, hit := s.tempsIn[pc]
	for addr, orig := range s.tempsIn {
		s.p.Poke(addr, orig)
		delete(s.tempsIn, addr)
	}
	return hit
}

// remove puts the original instructions back.
func (s *Stub) remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked()
}

func (s *Stub) removeLocked() {
	for _, m := range []map[uint64][]byte{s.tempsIn, s.inserted} {
		for addr, orig := range m {
			s.p.Poke(addr, orig) // the process may be gone: nothing to restore into
			delete(m, addr)
		}
	}
	s.temps, s.stepTID = nil, 0
}

// WaitRun is the loop's side: it blocks while gdb holds the process
// stopped and returns when gdb resumes it (at once after Detach).
func (s *Stub) WaitRun() {
	select {
	case <-s.run:
	case <-s.gone:
	}
}

// Gone is closed once the gdb session is over (Detach).
func (s *Stub) Gone() <-chan struct{} { return s.gone }

// Detach ends the debugging (the gdb session is over): breakpoints are
// taken out and the process runs on without stops.
func (s *Stub) Detach() {
	s.once.Do(func() {
		s.mu.Lock()
		close(s.gone)
		s.removeLocked()
		s.bps = map[uint64]int{}
		s.mu.Unlock()
	})
}

// Breakpoint tells whether an ebreak executed at pc is one of gdb's
// breakpoints (then the loop reports it with StopAt and must not deliver
// SIGTRAP); Leave reports the step's own.
func (s *Stub) Breakpoint(pc uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.inserted[pc]
	return ok
}

// StopAt makes the stop reply for thread tid stopped by a breakpoint
// (gdb's or a step's): SIGTRAP and the thread. No swbreak reason: gdb
// accepts it only after negotiating it in qSupported, and on RISC-V it
// needs none (the pc is the breakpoint's address).
func (s *Stub) StopAt(tid int) server.Stop {
	return server.Stop{Signal: 5, Thread: threadID(tid)}
}

// Interrupted reports (and clears) a pending ^C.
func (s *Stub) Interrupted() bool { return s.intr.Swap(false) }

// Report hands a stop to the waiting Resume (dropped after Detach). The
// loop then calls WaitRun before running the process again (except after
// Exited or Killed).
func (s *Stub) Report(st server.Stop) {
	select {
	case s.stops <- st:
	case <-s.gone:
	}
}

// InterruptStop is the stop reply for thread tid interrupted by ^C.
func InterruptStop(tid int) server.Stop { return server.Stop{Signal: 2, Thread: threadID(tid)} }

// EndStop is the stop reply for a process that ended: exit status, or
// killed (status 128+signal, as the kernel reports kills).
func EndStop(status int, killed bool) server.Stop {
	if killed && status > 128 {
		return server.Stop{Killed: true, Signal: status - 128}
	}
	return server.Stop{Exited: true, ExitCode: status}
}

// Description is the register description both stubs give gdb (the
// kernel's own stub in kernel/rt serves it unchanged).
func Description() string { return targetXML }

// targetXML is the register description: gdb's RISC-V cpu feature.
var targetXML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
<architecture>riscv:rv64</architecture>
<feature name="org.gnu.gdb.riscv.cpu">
<reg name="zero" bitsize="64" type="int" regnum="0"/>
<reg name="ra" bitsize="64" type="code_ptr"/>
<reg name="sp" bitsize="64" type="data_ptr"/>
<reg name="gp" bitsize="64" type="data_ptr"/>
<reg name="tp" bitsize="64" type="data_ptr"/>
<reg name="t0" bitsize="64" type="int"/>
<reg name="t1" bitsize="64" type="int"/>
<reg name="t2" bitsize="64" type="int"/>
<reg name="fp" bitsize="64" type="data_ptr"/>
<reg name="s1" bitsize="64" type="int"/>
<reg name="a0" bitsize="64" type="int"/>
<reg name="a1" bitsize="64" type="int"/>
<reg name="a2" bitsize="64" type="int"/>
<reg name="a3" bitsize="64" type="int"/>
<reg name="a4" bitsize="64" type="int"/>
<reg name="a5" bitsize="64" type="int"/>
<reg name="a6" bitsize="64" type="int"/>
<reg name="a7" bitsize="64" type="int"/>
<reg name="s2" bitsize="64" type="int"/>
<reg name="s3" bitsize="64" type="int"/>
<reg name="s4" bitsize="64" type="int"/>
<reg name="s5" bitsize="64" type="int"/>
<reg name="s6" bitsize="64" type="int"/>
<reg name="s7" bitsize="64" type="int"/>
<reg name="s8" bitsize="64" type="int"/>
<reg name="s9" bitsize="64" type="int"/>
<reg name="s10" bitsize="64" type="int"/>
<reg name="s11" bitsize="64" type="int"/>
<reg name="t3" bitsize="64" type="int"/>
<reg name="t4" bitsize="64" type="int"/>
<reg name="t5" bitsize="64" type="int"/>
<reg name="t6" bitsize="64" type="int"/>
<reg name="pc" bitsize="64" type="code_ptr"/>
</feature>
<feature name="org.gnu.gdb.riscv.fpu">
` + fpuRegs + `<reg name="fflags" bitsize="32" type="int" regnum="66"/>
<reg name="frm" bitsize="32" type="int" regnum="67"/>
<reg name="fcsr" bitsize="32" type="int" regnum="68"/>
</feature>
</target>
`

// fpuRegs lists f0..f31 as gdb's own RISC-V fpu feature does.
var fpuRegs = func() string {
	var b strings.Builder
	for i := range 32 {
		fmt.Fprintf(&b, "<reg name=\"f%d\" bitsize=\"64\" type=\"ieee_double\" regnum=\"%d\"/>\n", i, 33+i)
	}
	return b.String()
}()
