package live

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/gdbstub/client"
	"copslab/kernel/ktrace"
	"copslab/sched"
)

// Options say which kernel to watch and how to reach it.
type Options struct {
	Kernel string // the kernel ELF (symbols, build id)
	// Attach is host:port of a running gdb stub; empty: launch QEMU from
	// Board with its stub on a free loopback port.
	Attach string
	Board  *boards.Profile
	QEMU   string // QEMU binary; empty: the board's
	Append string // kernel command line
	// Stub is the gdb stub to talk to: StubQEMU (""; QEMU's own) or
	// StubKernel (the kernel's, on the board's second UART; kstub.go).
	Stub string
	// Progress, if set, receives one line per stage (launch, connect, check).
	Progress func(string)
	// Timeout bounds connecting and each stub request; 0: 10 s.
	Timeout time.Duration
}

// ExitSymbol is the kernel's power-off function: the reader stops there to
// collect the last events before QEMU exits.
const ExitSymbol = "runtime.bmExit"

// Kernel is one live kernel under the workbench: QEMU (launched or
// attached) and its gdb stub. All methods are for one goroutine.
type Kernel struct {
	Img  *Image
	Ring RingReader

	c       *client.Client
	addr    string        // host:port of the stub
	m       *qemu.Machine // nil when attached
	cancel  context.CancelFunc
	exitPC  uint64
	fullPC  uint64 // breakpoint where the kernel stops itself as its ring nearly fills (0: none)
	running bool
	ended   bool   // the kernel powered off (or QEMU is gone)
	endErr  error  // why, if not a clean power-off
	status  int    // exit status at power-off
	now     uint64 // ns since boot at the last halt
	clint   uint64 // CLINT base and mtime frequency, cached once the kernel
	tbHz    uint64 // has recorded an event (it reads them from the FDT first)
	timeout time.Duration
}

// Open loads the ELF, launches or attaches to QEMU, checks the build id
// and leaves the kernel halted.
func Open(o Options) (*Kernel, error) {
	say := o.Progress
	if say == nil {
		say = func(string) {}
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if err := checkStub(o); err != nil {
		return nil, err
	}
	say("reading " + o.Kernel)
	im, err := LoadImage(o.Kernel)
	if err != nil {
		return nil, err
	}
	k := &Kernel{Img: im, Ring: RingReader{Addr: im.Ring}, timeout: o.Timeout}
	addr := o.Attach
	if addr == "" {
		if addr, err = k.launch(o, say); err != nil {
			return nil, err
		}
	}
	k.addr = addr
	say("connecting to the gdb stub on " + addr)
	if k.c, err = k.dial(addr, o.Timeout); err != nil {
		if k.m != nil && o.Stub == StubKernel { // the kernel refused or never reached its stub
			err = fmt.Errorf("%w\nconsole:\n%s", err, k.m.Output())
		}
		k.Close()
		return nil, err
	}
	if err := k.setup(); err != nil {
		k.Close()
		return nil, err
	}
	say("kernel " + im.BuildIDString() + " halted, build id checked")
	return k, nil
}

// launch starts QEMU halted with a gdb stub on a free loopback port:
// QEMU's own, or the kernel's (kstub.go).
func (k *Kernel) launch(o Options, say func(string)) (string, error) {
	if o.Board == nil {
		return "", errors.New("live: no board profile to launch QEMU from")
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	bin := o.QEMU
	if bin == "" {
		bin = o.Board.QEMU.Binary
	}
	run := boards.RunOptions{Append: o.Append, Debug: true, GDBPort: port}
	if o.Stub == StubKernel {
		run = kernelStubRun(o.Append, port)
	}
	args := o.Board.QEMUArgs(o.Kernel, run)
	say("starting " + bin + " " + boards.ShellQuote(args))
	ctx, cancel := context.WithCancel(context.Background())
	m, err := qemu.Start(ctx, bin, args)
	if err != nil {
		cancel()
		return "", err
	}
	k.m, k.cancel = m, cancel
	return net.JoinHostPort(boards.LoopbackHost, strconv.Itoa(port)), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// dial connects, retrying while a launched QEMU opens its stub.
func (k *Kernel) dial(addr string, timeout time.Duration) (*client.Client, error) {
	deadline := time.Now().Add(timeout)
	for {
		c, err := client.Dial(addr, client.Options{Timeout: timeout})
		if err == nil {
			return c, nil
		}
		if k.m != nil {
			select {
			case <-k.m.Done():
				return nil, fmt.Errorf("QEMU exited before its gdb stub listened:\n%s", k.m.Output())
			default:
			}
		}
		if k.m == nil || time.Now().After(deadline) {
			return nil, fmt.Errorf("gdb stub on %s: %w", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setup checks the build id and sets the power-off breakpoint.
func (k *Kernel) setup() error {
	if k.c.Running() {
		return errors.New("live: the stub reports a running target")
	}
	// The kernel runs in machine mode on physical addresses; a halt may
	// land in a user process whose page table would translate (and
	// refuse) the ring's address. QEMU's stub can access physical memory.
	if _, err := k.c.Exchange("physical memory mode", "Qqemu.PhyMemMode:1"); err != nil {
		return fmt.Errorf("the stub refuses physical memory access (Qqemu.PhyMemMode): %w", err)
	}
	if err := CheckBuildID(k.c, k.Img); err != nil {
		return err
	}
	pc, ok := k.Img.Symbol(ExitSymbol)
	if !ok {
		return fmt.Errorf("kernel ELF %s has no symbol %s", k.Img.Path, ExitSymbol)
	}
	k.exitPC = pc
	if err := k.c.SetBreakpoint(client.SoftwareBreakpoint, pc, 4); err != nil {
		return fmt.Errorf("breakpoint on %s: %w", ExitSymbol, err)
	}
	// Optional (older kernels lack it): the kernel stops itself before
	// its ring would overflow; RunFor then drains it early.
	if pc, ok := k.Img.Symbol(ktrace.NearlyFullSymbol); ok && k.c.SetBreakpoint(client.SoftwareBreakpoint, pc, 4) == nil {
		k.fullPC = pc
	}
	k.readClock()
	return nil
}

// Addr is the gdb stub's host:port.
func (k *Kernel) Addr() string { return k.addr }

// Client is the gdb connection (for the proxy and the debugger views).
func (k *Kernel) Client() *client.Client { return k.c }

// Machine is the launched QEMU, or nil when attached.
func (k *Kernel) Machine() *qemu.Machine { return k.m }

// Console returns QEMU's output so far (launched only).
func (k *Kernel) Console() string {
	if k.m == nil {
		return ""
	}
	return k.m.Output()
}

// ConsoleInput sends bytes to the kernel's serial port (launched only).
func (k *Kernel) ConsoleInput() io.Writer { return k.m }

// Now is the guest clock (ns since reset, from mtime) at the last halt.
func (k *Kernel) Now() uint64 { return k.now }

// Ended reports whether the kernel powered off or QEMU went away, with
// the exit status and, for anything but a clean power-off, why.
func (k *Kernel) Ended() (bool, int, error) { return k.ended, k.status, k.endErr }

// Running reports whether the hart runs (between Resume and Halt).
func (k *Kernel) Running() bool { return k.running }

// readClock reads mtime through runtime.bmBoard (DWARF-located fields).
func (k *Kernel) readClock() {
	clint, tb := k.clint, k.tbHz
	if tb == 0 {
		b, err := k.c.ReadMemory(k.Img.BoardClint, 8)
		if err != nil {
			return
		}
		clint = binary.LittleEndian.Uint64(b)
		b, err = k.c.ReadMemory(k.Img.BoardTimebase, 8)
		if err != nil {
			return
		}
		tb = binary.LittleEndian.Uint64(b)
		if clint == 0 || tb == 0 {
			return
		}
		if k.Ring.Next > 0 { // the kernel is past its device setup
			k.clint, k.tbHz = clint, tb
		}
	}
	b, err := k.c.ReadMemory(clint+0xbff8, 8) // CLINT mtime
	if err != nil {
		return
	}
	mt := binary.LittleEndian.Uint64(b)
	if ns := mt/tb*1e9 + mt%tb*1e9/tb; ns > k.now {
		k.now = ns
	}
}

// lost turns a dead connection into the end of the run.
func (k *Kernel) lost(err error) error {
	if errors.Is(err, client.ErrClosed) {
		k.ended, k.running = true, false
		k.endErr = k.deathReason(err)
		return k.endErr
	}
	return err
}

// deathReason describes a vanished QEMU.
func (k *Kernel) deathReason(err error) error {
	if k.m != nil {
		select {
		case <-k.m.Done():
			code, _ := k.m.Wait()
			return &DiedError{Code: code, Err: err}
		case <-time.After(2 * time.Second):
		}
	}
	return &DiedError{Code: -1, Err: err}
}

// DiedError says QEMU (or the connection to its stub) went away mid-session.
type DiedError struct {
	Code int // QEMU's exit code, -1 if unknown (killed, or attached)
	Err  error
}

func (e *DiedError) Error() string {
	if e.Code == -1 {
		return fmt.Sprintf("QEMU is gone (killed, or the connection dropped): %v", e.Err)
	}
	return fmt.Sprintf("QEMU exited with status %d mid-session: %v", e.Code, e.Err)
}

func (e *DiedError) Unwrap() error { return e.Err }

// Resume lets the hart run.
func (k *Kernel) Resume() error {
	if k.ended || k.running {
		return nil
	}
	if err := k.c.Continue(); err != nil {
		return k.lost(err)
	}
	k.running = true
	return nil
}

// Halt stops the hart (a no-op when halted).
func (k *Kernel) Halt() error {
	if !k.running {
		return nil
	}
	if err := k.c.Interrupt(); err != nil {
		return k.lost(err)
	}
	stop, err := k.c.Wait(k.timeout)
	if err != nil {
		return k.lost(err)
	}
	return k.stopped(stop)
}

// stopped handles a stop reply: the power-off breakpoint ends the run.
func (k *Kernel) stopped(stop client.StopReply) error {
	k.running = false
	switch stop.Kind {
	case client.StopExited, client.StopKilled:
		k.ended, k.status = true, stop.Signal
		return nil
	}
	// Even an interrupt stop may land on the power-off breakpoint (both
	// at once are reported as one stop, as SIGINT): always look at pc.
	pc, err := k.c.Reg("pc")
	if err != nil {
		return k.lost(err)
	}
	if pc == k.exitPC {
		a0, err := k.c.Reg("a0")
		if err != nil {
			return k.lost(err)
		}
		k.ended, k.status = true, int(int32(a0))
	}
	return nil
}

// Drain reads the events recorded since the last drain (halted only) and
// the guest clock.
func (k *Kernel) Drain() ([]sched.Event, error) {
	if k.running {
		return nil, errors.New("live: drain while running")
	}
	if k.c == nil {
		return nil, nil
	}
	select {
	case <-k.c.Done():
		return nil, k.lost(client.ErrClosed)
	default:
	}
	evs, err := k.Ring.Drain(k.c)
	if err != nil {
		return evs, k.lost(err)
	}
	k.readClock()
	if n := len(evs); n > 0 && evs[n-1].Time > k.now {
		k.now = evs[n-1].Time
	}
	return evs, nil
}

// RunFor lets the kernel run for about d of wall time, then halts it and
// returns the events recorded meanwhile: the "brief halts" way of
// streaming (see doc.go). It returns early when the kernel powers off or
// stops itself with its ring nearly full.
func (k *Kernel) RunFor(d time.Duration) ([]sched.Event, error) {
	if k.ended {
		return nil, nil
	}
	if err := k.Resume(); err != nil {
		return nil, err
	}
	stop, err := k.c.Wait(d)
	switch {
	case errors.Is(err, client.ErrTimeout):
		if err := k.Halt(); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, k.lost(err)
	default:
		if err := k.stopped(stop); err != nil {
			return nil, err
		}
	}
	return k.Drain()
}

// BriefHalt is one brief halt of streaming taken apart for measuring:
// the kernel runs for about d, is halted and its ring drained; held is
// the time from the interrupt to the drained ring (what a halt costs the
// reader).
func (k *Kernel) BriefHalt(d time.Duration) (evs []sched.Event, held time.Duration, err error) {
	if err := k.Resume(); err != nil {
		return nil, 0, err
	}
	time.Sleep(d)
	t0 := time.Now()
	if err := k.Halt(); err != nil {
		return nil, 0, err
	}
	evs, err = k.Drain()
	return evs, time.Since(t0), err
}

// NextDecision runs until the kernel records its next scheduling decision
// (a breakpoint on the ring's put, then on its return) and returns the
// events recorded up to then; with no decision within wait it halts and
// returns what there is — unless the kernel was busy all that wait (not
// idle in wfi): then it waits again, up to busyWait in all.
func (k *Kernel) NextDecision(wait time.Duration) ([]sched.Event, error) {
	if k.ended {
		return nil, nil
	}
	if err := k.Halt(); err != nil {
		return nil, err
	}
	var pc uint64
	for deadline := time.Now().Add(busyWait); ; {
		idle := k.idleTicks()
		if err := k.runToBreak(k.Img.Put, wait); err != nil || k.ended {
			return nil, err
		}
		var err error
		if pc, err = k.c.Reg("pc"); err != nil {
			return nil, k.lost(err)
		}
		// No decision within wait: the kernel is idle (at a prompt) —
		// or busy, on a host that runs QEMU slowly; then wait on.
		if pc == k.Img.Put || !k.busy(idle, pc) || time.Now().After(deadline) {
			break
		}
	}
	if pc == k.Img.Put {
		ra, err := k.c.Reg("ra")
		if err != nil {
			return nil, k.lost(err)
		}
		if err := k.runToBreak(ra, k.timeout); err != nil {
			return nil, err
		}
	}
	return k.Drain()
}

// busyWait bounds how long NextDecision waits on while the kernel is
// busy without deciding (it never went idle during a whole wait).
const busyWait = time.Minute

// idleTicks reads the kernel's idle counter (halted only); nil when the
// kernel has none or the read fails.
func (k *Kernel) idleTicks() *uint64 {
	if k.Img.IdleTicks == 0 {
		return nil
	}
	b, err := k.c.ReadMemory(k.Img.IdleTicks, 8)
	if err != nil {
		return nil
	}
	v := binary.LittleEndian.Uint64(b)
	return &v
}

// busy says whether the kernel, halted at pc, was busy all the time
// since its idle counter read idle: it did not finish a wait in wfi (the
// counter grows as one ends) and is not in one now. Without the counter
// it cannot tell, and says no.
func (k *Kernel) busy(idle *uint64, pc uint64) bool {
	now := k.idleTicks()
	if idle == nil || now == nil || *now != *idle {
		return false
	}
	switch strings.TrimSuffix(k.Img.Lookup(pc).Func, ".abi0") { // bmWFI is assembly
	case "runtime.bmIdle", "runtime.bmIdleLoop", "runtime.bmWFI", "runtime.bmPollInterrupts", "runtime.bmKgdbIdlePoll":
		return false
	}
	return true
}

// runToBreak continues with a temporary breakpoint at pc until it or the
// power-off breakpoint is hit, or wait passes (then it halts).
func (k *Kernel) runToBreak(pc uint64, wait time.Duration) error {
	if err := k.c.SetBreakpoint(client.SoftwareBreakpoint, pc, 4); err != nil {
		return k.lost(err)
	}
	err := k.Resume()
	if err == nil {
		var stop client.StopReply
		stop, err = k.c.Wait(wait)
		switch {
		case errors.Is(err, client.ErrTimeout):
			err = k.Halt()
		case err != nil:
			err = k.lost(err)
		default:
			err = k.stopped(stop)
		}
	}
	if k.ended {
		return err
	}
	if cerr := k.c.ClearBreakpoint(client.SoftwareBreakpoint, pc, 4); cerr != nil && err == nil {
		err = k.lost(cerr)
	}
	return err
}

// StepInstruction executes one instruction and returns where the hart is.
func (k *Kernel) StepInstruction() (Location, error) {
	if err := k.Halt(); err != nil {
		return Location{}, err
	}
	stop, err := k.c.Step()
	if err != nil {
		return Location{}, k.lost(err)
	}
	if err := k.stopped(stop); err != nil {
		return Location{}, err
	}
	return k.Where()
}

// Where returns the current pc with its function and source line.
func (k *Kernel) Where() (Location, error) {
	pc, err := k.c.Reg("pc")
	if err != nil {
		return Location{}, k.lost(err)
	}
	return k.Img.Lookup(pc), nil
}

// Reg is one register's value.
type Reg struct {
	Name  string
	Value uint64
}

// Registers reads the general registers and pc (halted only).
func (k *Kernel) Registers() ([]Reg, error) {
	l, err := k.c.Layout()
	if err != nil {
		return nil, k.lost(err)
	}
	g, err := k.c.ReadRegisters()
	if err != nil {
		return nil, k.lost(err)
	}
	var out []Reg
	for _, s := range l.GPacket(len(g)) {
		if s.Size() > 8 {
			continue
		}
		var b [8]byte
		copy(b[:], g[s.Offset:s.Offset+s.Size()])
		out = append(out, Reg{s.Name, binary.LittleEndian.Uint64(b[:])})
	}
	return out, nil
}

// Close ends the session: a launched QEMU is killed, an attached one is
// left running (detached).
func (k *Kernel) Close() error {
	if k.c != nil {
		if k.m == nil && !k.ended {
			k.Halt()
			k.c.ClearBreakpoint(client.SoftwareBreakpoint, k.exitPC, 4)
			if k.fullPC != 0 {
				k.c.ClearBreakpoint(client.SoftwareBreakpoint, k.fullPC, 4)
			}
			k.c.Detach()
		}
		k.c.Close()
	}
	if k.m != nil {
		k.m.Kill()
		k.m.Wait()
		k.cancel()
	}
	return nil
}

// Threads reads the kernel's thread table (halted only): every live
// thread with its process name, state and priority.
func (k *Kernel) Threads() ([]ktrace.Slot, error) {
	if k.running {
		return nil, errors.New("live: thread table read while running")
	}
	b, err := k.c.ReadMemory(k.Img.Table, ktrace.TableBytes)
	if err != nil {
		return nil, k.lost(err)
	}
	return ktrace.DecodeTable(b)
}
