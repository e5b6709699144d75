package gdbos

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"copslab/gdbstub/client"
	"copslab/gdbstub/server"
	"copslab/kernel/ktrace"
	"copslab/sched"
	"copslab/workbench/live"
)

// HartThread is the gdb thread id of the hart itself.
const HartThread = "1"

// TrapFrameType is the Go type whose layout the saved registers follow.
const TrapFrameType = "copslab/kernel/proc.TrapFrame"

// Target is the OS-aware target.
type Target struct {
	*server.ClientTarget
	img                  *live.Image
	offX, offPC, offSATP int64

	cops copsSyms

	mu     sync.Mutex
	sel    *ktrace.Slot    // thread chosen with Hg (nil: the hart)
	noRegs bool            // a coroutine chosen with Hg that has no registers: all read as 0
	list   []server.Thread // the thread list while the hart stays halted (nil: read again)
	rows   []coThread      // its coroutines
}

var (
	_ server.ThreadTarget   = (*Target)(nil)
	_ server.RegisterTarget = (*Target)(nil)
)

// New wraps a connected client for the kernel image im.
func New(c *client.Client, im *live.Image) (*Target, error) {
	f, err := im.Fields(TrapFrameType)
	if err != nil {
		return nil, err
	}
	t := &Target{ClientTarget: &server.ClientTarget{C: c}, img: im}
	var ok [3]bool
	t.offX, ok[0] = f["X"]
	t.offPC, ok[1] = f["PC"]
	t.offSATP, ok[2] = f["SATP"]
	if !ok[0] || !ok[1] || !ok[2] {
		return nil, fmt.Errorf("%s lacks X, PC or SATP (fields %v)", TrapFrameType, f)
	}
	if _, err := c.Exchange("physical memory mode", "Qqemu.PhyMemMode:1"); err != nil {
		return nil, fmt.Errorf("the stub refuses physical memory access (Qqemu.PhyMemMode): %w", err)
	}
	if err := live.CheckBuildID(c, im); err != nil {
		return nil, err
	}
	if t.cops, err = findCOPS(im.Path, im.Fields); err != nil {
		return nil, err
	}
	return t, nil
}

// slots reads the live threads from the kernel's table.
func (t *Target) slots() ([]ktrace.Slot, error) {
	b, err := t.C.ReadMemory(t.img.Table, ktrace.TableBytes)
	if err != nil {
		return nil, err
	}
	return ktrace.DecodeTable(b)
}

func threadID(s ktrace.Slot) string { return strconv.FormatUint(uint64(s.TID)+1, 16) }

// Extra is the text gdb shows for a thread in `info threads`.
func Extra(s ktrace.Slot) string {
	return fmt.Sprintf("pid %d (%s) tid %d %v prio %d", s.PID, s.ProcName(), s.TID, sched.State(s.State), s.Prio)
}

// Threads lists the hart, the kernel's threads and every live coroutine
// (coroutines.go). The list is read once per halt: gdb asks for it again
// for every qThreadExtraInfo.
func (t *Target) Threads() ([]server.Thread, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.threadsLocked()
}

func (t *Target) threadsLocked() ([]server.Thread, error) {
	if t.list != nil {
		return t.list, nil
	}
	slots, err := t.slots()
	if err != nil {
		return nil, err
	}
	out := []server.Thread{{ID: HartThread, Extra: "hart 0: the CPU as it is (kernel, or the thread it runs)"}}
	for _, s := range slots {
		out = append(out, server.Thread{ID: threadID(s), Extra: Extra(s)})
	}
	rows, err := t.coroutines(slots)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out = append(out, server.Thread{ID: r.id, Extra: r.extra})
	}
	t.list, t.rows = out, rows
	return out, nil
}

// forget drops the cached thread list (the guest moved or was written).
func (t *Target) forget() {
	t.mu.Lock()
	t.list, t.rows = nil, nil
	t.mu.Unlock()
}

func (t *Target) SelectThread(op byte, id string) error {
	if op != 'g' {
		return nil // all-stop: continue and step always move the whole hart
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sel, t.noRegs = nil, false
	if id == HartThread || id == "0" || id == "-1" {
		return nil
	}
	if _, err := t.threadsLocked(); err != nil {
		return err
	}
	for _, r := range t.rows {
		if r.id == id {
			t.sel, t.noRegs = r.slot, r.why != ""
			return nil
		}
	}
	slots, err := t.slots()
	if err != nil {
		return err
	}
	for _, s := range slots {
		if threadID(s) == id {
			t.sel = &s
			return nil
		}
	}
	return fmt.Errorf("no thread %s", id)
}

func (t *Target) selected() *ktrace.Slot {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sel
}

// noRegisters reports whether the selected coroutine has no registers.
func (t *Target) noRegisters() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.noRegs
}

// frame reads the selected thread's saved x0..x31, pc and satp.
func (t *Target) frame(s *ktrace.Slot) (regs [33]uint64, satp uint64, err error) {
	if s.Frame == 0 {
		return regs, 0, errors.New("the kernel recorded no register frame for this thread")
	}
	end := max(t.offX+32*8, t.offPC+8, t.offSATP+8)
	b, err := t.C.ReadMemory(s.Frame, int(end))
	if err != nil {
		return regs, 0, err
	}
	le := binary.LittleEndian
	for i := 0; i < 32; i++ {
		regs[i] = le.Uint64(b[t.offX+int64(i)*8:])
	}
	regs[0] = 0
	regs[32] = le.Uint64(b[t.offPC:])
	return regs, le.Uint64(b[t.offSATP:]), nil
}

func (t *Target) ReadRegisters() ([]byte, error) {
	if t.noRegisters() {
		return make([]byte, 33*8), nil
	}
	s := t.selected()
	if s == nil {
		return t.ClientTarget.ReadRegisters()
	}
	regs, _, err := t.frame(s)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 33*8)
	for i, v := range regs {
		binary.LittleEndian.PutUint64(out[i*8:], v)
	}
	return out, nil
}

func (t *Target) ReadRegister(num int) ([]byte, error) {
	if t.noRegisters() && num <= 32 {
		return make([]byte, 8), nil
	}
	s := t.selected()
	if s == nil || num > 32 {
		return t.ClientTarget.ReadRegister(num)
	}
	regs, _, err := t.frame(s)
	if err != nil {
		return nil, err
	}
	return binary.LittleEndian.AppendUint64(nil, regs[num]), nil
}

var errSaved = errors.New("a saved thread's registers are read-only here (select thread 1, the hart, to change registers)")

func (t *Target) WriteRegisters(b []byte) error {
	if t.selected() != nil || t.noRegisters() {
		return errSaved
	}
	t.forget()
	return t.ClientTarget.WriteRegisters(b)
}

func (t *Target) WriteRegister(num int, val []byte) error {
	if t.selected() != nil || t.noRegisters() {
		return errSaved
	}
	t.forget()
	return t.ClientTarget.WriteRegister(num, val)
}

func (t *Target) WriteMemory(addr uint64, data []byte) error {
	t.forget()
	return t.ClientTarget.WriteMemory(addr, data)
}

// kernelBase: addresses from here up are the kernel's (physical, as the
// machine-mode kernel sees them); below, a selected thread's user space.
const kernelBase = 0x80000000

func (t *Target) ReadMemory(addr uint64, n int) ([]byte, error) {
	s := t.selected()
	if s == nil || addr >= kernelBase {
		return t.ClientTarget.ReadMemory(addr, n)
	}
	_, satp, err := t.frame(s)
	if err != nil {
		return nil, err
	}
	var out []byte
	for n > 0 {
		pa, err := t.translate(satp, addr)
		if err != nil {
			return nil, err
		}
		k := min(n, int(pageSize-addr%pageSize))
		b, err := t.C.ReadMemory(pa, k)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		addr, n = addr+uint64(k), n-k
	}
	return out, nil
}

func (t *Target) Resume(step bool) (server.Stop, error) {
	t.mu.Lock()
	t.sel, t.noRegs, t.list, t.rows = nil, false, nil, nil
	t.mu.Unlock()
	st, err := t.ClientTarget.Resume(step)
	if st.Thread != "" {
		st.Thread = HartThread
	}
	return st, err
}
