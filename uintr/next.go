package uintr

// The back end for cores with user-level interrupts in hardware: the
// RISC-V N extension's user trap CSRs, plus a UINTC (a memory-mapped
// user-interrupt controller with one receiver status entry per receiver)
// and per-process sender tables that a `uipi` instruction reads, as in
// the Rocket core with the N extension the COPS paper ran on and its
// rCore-N kernel. No such core is here: the back end is compiled and
// tested on the host against a fake of the CSRs and the controller
// (next_test.go), which follows the spec's trap rules.
//
// What the hardware does that Emu does in software: the divert (on a
// pending, enabled user software interrupt with ustatus.UIE set, the hart
// saves pc in uepc, the cause in ucause, UIE in UPIE, clears UIE and jumps
// to utvec), the return (uret), and a process's sends (uipi through its
// sender table, without a trap). What the kernel still does: format the
// receiver and the sender tables, check the handler entry and stack
// before each return to user mode (the same rule and message as Emu),
// load and save the process's user CSRs and the controller's receiver
// entry on every switch, and post completions through the controller.
//
// Field positions of the sender-table entries and the controller's
// configuration are ours (the design names the fields; the FPGA core's
// exact bits were not checked here).

import "copslab/sched"

// CSR numbers (N extension, privileged spec draft v1.1, user trap setup
// and handling; UINTC supervisor CSRs of the later design).
const (
	CSRUstatus  = 0x000
	CSRUie      = 0x004
	CSRUtvec    = 0x005
	CSRUscratch = 0x040
	CSRUepc     = 0x041
	CSRUcause   = 0x042
	CSRUtval    = 0x043
	CSRUip      = 0x044
	CSRSuist    = 0x1b0 // sender table: enable | page number
	CSRSuirs    = 0x1b1 // receiver status index: valid | index
	CSRSuicfg   = 0x1b2 // controller configuration
)

// Bits of ustatus, uie/uip and ucause.
const (
	UstatusUIE  = 1 << 0
	UstatusUPIE = 1 << 4
	UipUSIP     = 1 << 0 // user software interrupt (uie.USIE has the same bit)
	UipUTIP     = 1 << 4
	UipUEIP     = 1 << 8
	UcauseIntr  = 1 << 63 // interrupt (not exception); cause 0 = user software interrupt
)

// Our encodings of suist, suirs and a sender-table entry.
const (
	SuistEnable = 1 << 63 // low bits: page number of the sender table
	SuirsValid  = 1 << 63 // low 16 bits: receiver status index
	EntryValid  = 1 << 0  // bits 16..31 receiver index, 32..39 vector
)

// SenderPage is one process's sender table as the hardware reads it: a
// page of entries, the first SendersPerProc in use.
type SenderPage [512]uint64

// Entry word of a sender-table slot.
func entryWord(recv uint16, vector uint8) uint64 {
	return EntryValid | uint64(recv)<<16 | uint64(vector)<<32
}

// DecodeEntry splits an entry word (what uipi reads).
func DecodeEntry(w uint64) (valid bool, recv uint16, vector uint8) {
	return w&EntryValid != 0, uint16(w >> 16), uint8(w >> 32)
}

// CSRs reads and writes one hart's CSRs (on a real core: csrr/csrw,
// issued on that hart).
type CSRs interface {
	Read(csr uint16) uint64
	Write(csr uint16, v uint64)
}

// UINTC is the user-interrupt controller's receiver status entries.
type UINTC interface {
	// SetReceiver says whether entry idx's process is on hart (active)
	// or off every hart; its pending bits stay.
	SetReceiver(idx uint16, active bool, hart uint8)
	// Send sets pending bit vector of entry idx and, if it is active,
	// raises the user software interrupt on its hart.
	Send(idx uint16, vector uint8)
	// Pending returns entry idx's pending bits.
	Pending(idx uint16) uint64
	// Clear clears entry idx's pending bits in mask.
	Clear(idx uint16, mask uint64)
}

// NExt is the Controller of an N-extension core with a UINTC.
type NExt struct {
	// Trace, if set, receives io-done and uintr-send (the hardware
	// delivers: no uintr-deliver event here).
	Trace   Tracer
	harts   []CSRs
	uintc   UINTC
	tables  *[MaxProcs]SenderPage
	pageNum func(*SenderPage) uint64
	senders Senders
	procs   [MaxProcs]nextProc
	gen     uint32
}

type nextProc struct {
	kproc
	entered bool
	// the process's user CSRs while it is off the hart
	ustatus, uepc, ucause, utval, uip uint64
}

var _ Controller = (*NExt)(nil)

// ErrHardware is Return's answer on this back end: uret is an
// instruction here.
var ErrHardware = errorString("uintr: uiret is the uret instruction on this core")

type errorString string

func (e errorString) Error() string { return string(e) }

// NewNExt returns the back end for harts (by hart number) and the
// controller; tables is the memory the hardware reads the sender tables
// from and pageNum gives a table's physical page number.
func NewNExt(harts []CSRs, uintc UINTC, tables *[MaxProcs]SenderPage, pageNum func(*SenderPage) uint64) *NExt {
	return &NExt{harts: harts, uintc: uintc, tables: tables, pageNum: pageNum}
}

func (n *NExt) proc(p uint16) (*nextProc, error) {
	if int(p) >= MaxProcs {
		return nil, ErrBadProc
	}
	if n.procs[p].gen == 0 {
		return nil, ErrNotReg
	}
	return &n.procs[p], nil
}

// Register formats proc's controller entry and sender table.
func (n *NExt) Register(proc uint16, r *Receiver, sp Space) (uint32, error) {
	if int(proc) >= MaxProcs {
		return 0, ErrBadProc
	}
	if r.Magic != RecvMagic || r.Version != RecvVersion || r.NRec != RingRecs {
		return 0, ErrBadRecv
	}
	n.Unregister(proc)
	if n.gen++; n.gen == 0 {
		n.gen = 1
	}
	r.Tail, r.Head, r.Pending = 0, 0, 0
	n.procs[proc] = nextProc{kproc: kproc{r: r, sp: sp, gen: n.gen}}
	if r.Ctl&CtlUIE != 0 {
		n.procs[proc].ustatus = UstatusUIE
	}
	n.uintc.SetReceiver(proc, false, 0)
	n.uintc.Clear(proc, ^uint64(0))
	return n.gen, nil
}

// Unregister forgets proc: its entry, its table, grants to and from it.
func (n *NExt) Unregister(proc uint16) {
	if int(proc) >= MaxProcs {
		return
	}
	n.procs[proc] = nextProc{}
	n.senders.DropProc(proc)
	for p := range n.tables {
		for i := 0; i < SendersPerProc; i++ {
			if _, err := n.senders.lookup(uint16(p), i); err != nil {
				n.tables[p][i] = 0
			}
		}
	}
}

// Grant writes the sender-table entry the hardware will read.
func (n *NExt) Grant(recv uint16, vector uint8, sender uint16) (int, error) {
	rp, err := n.proc(recv)
	if err != nil {
		return 0, err
	}
	idx, err := n.senders.Grant(recv, vector, sender, rp.gen)
	if err != nil {
		return 0, err
	}
	n.tables[sender][idx] = entryWord(recv, vector)
	return idx, nil
}

// Post is a send by the kernel on sender's behalf, through the same table
// entry uipi would read.
func (n *NExt) Post(sender uint16, idx int) error {
	if int(sender) >= MaxProcs || idx < 0 || idx >= SendersPerProc {
		return ErrNotGranted
	}
	valid, recv, vector := DecodeEntry(n.tables[sender][idx])
	if !valid {
		return ErrNotGranted
	}
	rp, err := n.proc(recv)
	if err != nil {
		return ErrNotGranted
	}
	n.uintc.Send(recv, vector)
	rp.stats.Posted++
	return nil
}

// Reserve claims a ring slot for an async call of proc.
func (n *NExt) Reserve(proc uint16) error {
	rp, err := n.proc(proc)
	if err != nil {
		return err
	}
	return rp.reserve(proc)
}

// Complete queues the record and sends VecKernel through the controller.
func (n *NExt) Complete(proc uint16, rec Record) error {
	rp, err := n.proc(proc)
	if err != nil {
		return err
	}
	if err := rp.complete(proc, rec); err != nil {
		return err
	}
	rp.stage(n.Trace, proc, rec.Co, sched.CauseIODone, rec.Key)
	n.uintc.Send(proc, VecKernel)
	rp.stats.Posted++
	rp.stage(n.Trace, proc, rec.Co, sched.CauseUintrSend, rec.Key)
	return nil
}

// Pending: an enabled vector pending in the controller and user
// interrupts on (as last saved), i.e. the hart would take it.
func (n *NExt) Pending(proc uint16) bool {
	rp, err := n.proc(proc)
	if err != nil || rp.ustatus&UstatusUIE == 0 {
		return false
	}
	return n.uintc.Pending(proc)&rp.r.Enable != 0
}

// Enter loads proc's user-interrupt state into hart's CSRs and the
// controller before the return to user mode. Steps: check the handler
// (utvec) and stack (uscratch) as Emu does; restore the saved user CSRs;
// point suist/suirs at the process; mark its controller entry active on
// this hart; raise uip.USIP for what came while it was off.
func (n *NExt) Enter(proc uint16, hart uint8, f *Frame) error {
	rp, err := n.proc(proc)
	if err != nil || int(hart) >= len(n.harts) {
		return nil
	}
	handler, stack, err := rp.checkHandler(proc)
	if err != nil {
		return err
	}
	c := n.harts[hart]
	c.Write(CSRUtvec, handler)
	c.Write(CSRUscratch, stack)
	c.Write(CSRUstatus, rp.ustatus)
	c.Write(CSRUepc, rp.uepc)
	c.Write(CSRUcause, rp.ucause)
	c.Write(CSRUtval, rp.utval)
	uie := uint64(0)
	if rp.r.Enable != 0 {
		uie = UipUSIP
	}
	c.Write(CSRUie, uie)
	c.Write(CSRSuist, SuistEnable|n.pageNum(&n.tables[proc]))
	c.Write(CSRSuirs, SuirsValid|uint64(proc))
	n.uintc.SetReceiver(proc, true, hart)
	uip := rp.uip &^ UipUSIP
	if n.uintc.Pending(proc) != 0 {
		uip |= UipUSIP
	}
	c.Write(CSRUip, uip)
	rp.entered = true
	return nil
}

// Leave saves proc's user CSRs, marks its controller entry inactive and
// clears the hart's, so the next process sees nothing of this one's.
func (n *NExt) Leave(proc uint16, hart uint8) {
	rp, err := n.proc(proc)
	if err != nil || int(hart) >= len(n.harts) || !rp.entered {
		return
	}
	c := n.harts[hart]
	rp.ustatus, rp.uepc, rp.ucause = c.Read(CSRUstatus), c.Read(CSRUepc), c.Read(CSRUcause)
	rp.utval, rp.uip = c.Read(CSRUtval), c.Read(CSRUip)
	n.uintc.SetReceiver(proc, false, hart)
	for _, csr := range []uint16{CSRSuist, CSRSuirs, CSRUie, CSRUip, CSRUstatus, CSRUtvec, CSRUscratch, CSRUepc, CSRUcause, CSRUtval} {
		c.Write(csr, 0)
	}
	rp.entered = false
}

// Return: there is no uiret system call on this core.
func (n *NExt) Return(proc uint16, f *Frame) error { return ErrHardware }

// Stats returns proc's counters (Delivered and Returned are the
// hardware's: not counted here).
func (n *NExt) Stats(proc uint16) Stats {
	if int(proc) >= MaxProcs {
		return Stats{}
	}
	return n.procs[proc].stats
}
