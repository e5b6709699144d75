package uintr

// A fake of what an N-extension core with a UINTC does (no such core is
// here): the user CSRs of each hart with the spec's trap rules (take,
// uret), a controller that raises uip.USIP on the receiver's hart, and
// uipi reading the sender table through suist. The tests drive the back
// end through Controller, as the kernel would, and compare with Emu.

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

type fakeHart struct {
	id   uint8
	csr  map[uint16]uint64
	core *fakeCore
}

func (h *fakeHart) Read(c uint16) uint64     { return h.csr[c] }
func (h *fakeHart) Write(c uint16, v uint64) { h.csr[c] = v }

// take is the hart at an instruction boundary in user mode at pc: if a
// user software interrupt is pending, enabled and UIE is set, it traps
// to utvec as the N extension says; it returns the next pc.
func (h *fakeHart) take(pc uint64) (uint64, bool) {
	st := h.csr[CSRUstatus]
	if st&UstatusUIE == 0 || h.csr[CSRUie]&h.csr[CSRUip]&UipUSIP == 0 {
		return pc, false
	}
	h.csr[CSRUepc] = pc
	h.csr[CSRUcause] = UcauseIntr | 0
	h.csr[CSRUstatus] = st&^(UstatusUIE|UstatusUPIE) | UstatusUPIE // UPIE ← UIE (1), UIE ← 0
	return h.csr[CSRUtvec] &^ 3, true
}

// uret returns from the handler.
func (h *fakeHart) uret() uint64 {
	st := h.csr[CSRUstatus]
	uie := uint64(0)
	if st&UstatusUPIE != 0 {
		uie = UstatusUIE
	}
	h.csr[CSRUstatus] = st&^UstatusUIE | uie | UstatusUPIE
	return h.csr[CSRUepc]
}

// uipi is the send instruction on this hart: entry idx of the sender
// table suist points at; an invalid entry is an illegal-instruction fault.
func (h *fakeHart) uipi(idx int) error {
	st := h.csr[CSRSuist]
	if st&SuistEnable == 0 || idx < 0 || idx >= SendersPerProc {
		return errors.New("illegal instruction: no sender table")
	}
	page := h.core.pages[st&^SuistEnable]
	valid, recv, vec := DecodeEntry(page[idx])
	if !valid {
		return errors.New("illegal instruction: invalid sender entry")
	}
	h.core.Send(recv, vec)
	return nil
}

type fakeRecv struct {
	active  bool
	hart    uint8
	pending uint64
}

type fakeCore struct {
	harts  []*fakeHart
	recv   [MaxProcs]fakeRecv
	pages  map[uint64]*SenderPage
	tables *[MaxProcs]SenderPage
}

func newFakeCore(n int) *fakeCore {
	c := &fakeCore{pages: map[uint64]*SenderPage{}, tables: new([MaxProcs]SenderPage)}
	for i := 0; i < n; i++ {
		c.harts = append(c.harts, &fakeHart{id: uint8(i), csr: map[uint16]uint64{}, core: c})
	}
	for i := range c.tables {
		c.pages[c.pageNum(&c.tables[i])] = &c.tables[i]
	}
	return c
}

func (c *fakeCore) pageNum(p *SenderPage) uint64 { return uint64(uintptr(unsafe.Pointer(p))) >> 12 }

func (c *fakeCore) csrs() []CSRs {
	var cs []CSRs
	for _, h := range c.harts {
		cs = append(cs, h)
	}
	return cs
}

func (c *fakeCore) SetReceiver(idx uint16, active bool, hart uint8) {
	c.recv[idx].active, c.recv[idx].hart = active, hart
}

func (c *fakeCore) Send(idx uint16, vector uint8) {
	r := &c.recv[idx]
	r.pending |= 1 << (vector & 63)
	if r.active {
		c.harts[r.hart].csr[CSRUip] |= UipUSIP
	}
}

func (c *fakeCore) Pending(idx uint16) uint64 { return c.recv[idx].pending }

func (c *fakeCore) Clear(idx uint16, mask uint64) { c.recv[idx].pending &^= mask }

func newNExt(t *testing.T) (*NExt, *fakeCore) {
	core := newFakeCore(4)
	for i := range core.tables {
		if uintptr(unsafe.Pointer(&core.tables[i]))&4095 != 0 {
			t.Skip("sender tables not page aligned on this host allocation")
		}
	}
	return NewNExt(core.csrs(), core, core.tables, core.pageNum), core
}

// TestNExtSendWhileRunning: a uipi from a process on hart 1 through its
// granted entry interrupts the receiver running on hart 0: it traps to
// the handler with uepc = the interrupted pc, interrupts off inside, and
// uret returns there.
func TestNExtSendWhileRunning(t *testing.T) {
	n, core := newNExt(t)
	r := newRecv(t, n, 2)
	newRecv(t, n, 5)
	idx, err := n.Grant(2, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	var f Frame
	if err := n.Enter(2, 0, &f); err != nil {
		t.Fatal(err)
	}
	if err := n.Enter(5, 1, &f); err != nil {
		t.Fatal(err)
	}
	h0, h1 := core.harts[0], core.harts[1]
	if pc, took := h0.take(0x10400); took {
		t.Fatalf("trapped to %#x with nothing pending", pc)
	}
	if err := h1.uipi(idx); err != nil {
		t.Fatal(err)
	}
	pc, took := h0.take(0x10400)
	if !took || pc != r.Handler || h0.csr[CSRUepc] != 0x10400 || h0.csr[CSRUcause] != UcauseIntr || h0.csr[CSRUscratch] != r.Stack {
		t.Fatalf("took %v pc %#x uepc %#x ucause %#x uscratch %#x", took, pc, h0.csr[CSRUepc], h0.csr[CSRUcause], h0.csr[CSRUscratch])
	}
	if _, again := h0.take(pc); again {
		t.Fatal("nested trap inside the handler")
	}
	if core.Pending(2) != 1<<3 {
		t.Fatalf("controller pending %#x, want vector 3", core.Pending(2))
	}
	// the handler acknowledges (clears the controller's bits and uip.USIP) and returns
	core.Clear(2, ^uint64(0))
	h0.csr[CSRUip] &^= UipUSIP
	if back := h0.uret(); back != 0x10400 || h0.csr[CSRUstatus]&UstatusUIE == 0 {
		t.Fatalf("uret to %#x, ustatus %#x", back, h0.csr[CSRUstatus])
	}
	if err := n.Return(2, &f); !errors.Is(err, ErrHardware) {
		t.Fatalf("Return on hardware: %v", err)
	}
}

// TestNExtSendWhileOff: a completion for a process that is off every hart
// stays pending in the controller (the boost sees it) and is taken right
// after the next Enter; the ring is the same as Emu's.
func TestNExtSendWhileOff(t *testing.T) {
	n, core := newNExt(t)
	e := NewEmu()
	r := newRecv(t, n, 4)
	re := newRecv(t, e, 4)
	var f Frame
	n.Enter(4, 1, &f)
	n.Leave(4, 1)
	for _, c := range []Controller{n, e} {
		for i := 0; i < 3; i++ {
			if err := c.Reserve(4); err != nil {
				t.Fatal(err)
			}
			if err := c.Complete(4, Record{Key: uint64(10 + i), Result: int64(i), Co: 0x4000 + uint32(i), Op: OpRead}); err != nil {
				t.Fatal(err)
			}
		}
		if !c.Pending(4) {
			t.Fatalf("%T: no boost for a pending completion", c)
		}
	}
	if core.harts[1].csr[CSRUip] != 0 {
		t.Fatal("raised on a hart the receiver left")
	}
	if r.Recs != re.Recs || r.Tail != re.Tail {
		t.Fatal("the two back ends wrote different completion rings")
	}
	if err := n.Enter(4, 0, &f); err != nil {
		t.Fatal(err)
	}
	if pc, took := core.harts[0].take(0x10500); !took || pc != r.Handler {
		t.Fatalf("not taken after Enter: %v %#x", took, pc)
	}
}

// TestNExtLeaveClears: the next process on the hart sees none of the
// previous one's user-interrupt CSRs, and gets its own back on return.
func TestNExtLeaveClears(t *testing.T) {
	n, core := newNExt(t)
	newRecv(t, n, 1)
	r2 := newRecv(t, n, 2)
	r2.Enable = 0
	h := core.harts[0]
	var f Frame
	n.Enter(1, 0, &f)
	h.csr[CSRUepc] = 0x11110 // the process's own state
	n.Leave(1, 0)
	for _, c := range []uint16{CSRSuist, CSRSuirs, CSRUie, CSRUip, CSRUstatus, CSRUtvec, CSRUscratch, CSRUepc} {
		if h.csr[c] != 0 {
			t.Errorf("CSR %#x = %#x after Leave", c, h.csr[c])
		}
	}
	n.Enter(2, 0, &f)
	if h.csr[CSRUie] != 0 || h.csr[CSRSuirs] != SuirsValid|2 || h.csr[CSRUepc] != 0 {
		t.Errorf("process 2 on the hart: uie %#x suirs %#x uepc %#x", h.csr[CSRUie], h.csr[CSRSuirs], h.csr[CSRUepc])
	}
	n.Leave(2, 0)
	n.Enter(1, 0, &f)
	if h.csr[CSRUepc] != 0x11110 {
		t.Errorf("process 1's uepc not restored: %#x", h.csr[CSRUepc])
	}
}

// TestNExtRefuses: uipi through an entry never granted faults; Post says
// ErrNotGranted; a bad handler kills with Emu's message; grants die with
// the receiver.
func TestNExtRefuses(t *testing.T) {
	n, core := newNExt(t)
	r := newRecv(t, n, 2)
	newRecv(t, n, 5)
	var f Frame
	n.Enter(5, 1, &f)
	if err := core.harts[1].uipi(0); err == nil || !strings.Contains(err.Error(), "invalid sender entry") {
		t.Fatalf("uipi without a grant: %v", err)
	}
	if err := n.Post(5, 0); !errors.Is(err, ErrNotGranted) {
		t.Fatalf("Post without a grant: %v", err)
	}
	idx, _ := n.Grant(2, 1, 5)
	n.Unregister(2)
	if err := core.harts[1].uipi(idx); err == nil {
		t.Fatal("uipi to an exited receiver went through")
	}
	r = newRecv(t, n, 2)
	r.Handler = 0x30000
	err := n.Enter(2, 0, &f)
	var k *Kill
	if !errors.As(err, &k) || k.Msg != "process 2: user-interrupt handler 0x30000 outside its text [0x10000, 0x20000)" {
		t.Fatalf("bad handler: %v", err)
	}
}
