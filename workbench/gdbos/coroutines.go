package gdbos

// Coroutines as gdb threads.
//
// The kernel keeps its COPS state in two package variables found by ELF
// symbol: main.copsGlobal (a sched.Global: the process slots, each with
// the kernel address of the process's Local in Procs[slot].Addr) and
// main.kernelLocal (the sched.Local of the kernel's own coroutines:
// console driver, timer queue, the process scheduler). Each time gdb asks
// for the thread list while the hart is halted, the proxy reads the
// Global and every Local it names and decodes them with sched's checking
// decoders (DecodeGlobal, DecodeLocal): nothing read from the guest is
// trusted, a Local that does not decode becomes one row saying why, and
// the rest of the list is unaffected.
//
// Which process owns a slot: the kernel maps a process's Local at
// proc.LocalVA in that process. The proxy walks each thread's saved
// page table (satp in its register frame) at LocalVA; the thread whose
// walk lands on Procs[slot].Addr belongs to the process of that slot,
// which gives the pid and name shown.
//
// A coroutine is a step function: while it is not running it has no
// stack and no registers of its own. So `thread N` + `bt` of a coroutine
// shows where it runs, or says clearly that it has nowhere:
//
//   - a Running or Suspended user coroutine: the registers and address
//     space of its process's Running thread in the thread table — the
//     thread whose executor calls the coroutine's step, so bt unwinds
//     through the coroutine's code into the executor;
//   - a Running kernel coroutine: the hart itself (the kernel's executor
//     runs it on the hart, in the kernel);
//   - any other (Ready, Blocked, or Running in a process none of whose
//     threads runs now): every register reads as 0, so gdb shows the
//     single frame "#0 0x0000000000000000 in ?? ()" and its row in `info
//     threads` ends with why ("not running: no stack of its own"). An
//     error reply instead would abort gdb's whole `info threads`, which
//     reads every thread's frame.

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strconv"

	"copslab/kernel/ktrace"
	"copslab/kernel/proc"
	"copslab/sched"
)

// Symbols of the kernel's COPS state.
const (
	GlobalSymbol  = "main.copsGlobal"
	KernelLocal   = "main.kernelLocal"
	ConsoleSymbol = "main.consoleCo" // *executor.Driver of the console driver
	DriverType    = "copslab/sched/executor.Driver"
)

// Thread ids of coroutines lie above every kernel thread's (tid+1 <
// 2^30) and below 2^31: gdb sends only the low 32 bits of a thread id
// back, and signed. A coroutine's gdb id is 2^30 | its id's low 29 bits
// (process, slot and the low bits of the generation: unique among live
// coroutines, whose slots differ); qThreadExtraInfo shows the whole id.
const (
	coThreadBase  = 1 << 30                // | coroutine id & coIDMask
	coIDMask      = 1<<29 - 1              //
	badLocalBase  = 1<<31 - sched.MaxProcs // + process slot: a Local that does not decode
	maxKernelAddr = 1 << 40                // physical addresses the proxy reads Locals from lie below
)

// copsSyms are the kernel's COPS symbols (zero: a kernel without them).
type copsSyms struct {
	global, local, console uint64
	driverID               int64 // offset of Driver.id, -1 unknown
}

// findCOPS looks the symbols up in the kernel ELF.
func findCOPS(path string, fields func(string) (map[string]int64, error)) (copsSyms, error) {
	s := copsSyms{driverID: -1}
	f, err := elf.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return s, fmt.Errorf("kernel ELF %s: symbols: %w", path, err)
	}
	for _, y := range syms {
		switch y.Name {
		case GlobalSymbol:
			s.global = y.Value
		case KernelLocal:
			s.local = y.Value
		case ConsoleSymbol:
			s.console = y.Value
		}
	}
	if fl, err := fields(DriverType); err == nil {
		if off, ok := fl["id"]; ok {
			s.driverID = off
		}
	}
	return s, nil
}

// coThread is one coroutine row, with what selecting it means.
type coThread struct {
	id    string
	extra string
	co    sched.CoSnap
	pid   uint16 // owning process (0: the kernel, or unknown)
	slot  *ktrace.Slot
	hart  bool   // runs on the hart now (a Running kernel coroutine)
	why   string // why it has no registers ("": it has)
}

// coroutines reads the kernel's COPS state and returns one row per live
// coroutine (and one per undecodable Local). threads is the thread table.
func (t *Target) coroutines(threads []ktrace.Slot) ([]coThread, error) {
	if t.cops.global == 0 || t.cops.local == 0 {
		return nil, nil // a kernel without the executor's state
	}
	gb, err := t.C.ReadMemory(t.cops.global, sched.GlobalSize)
	if err != nil {
		return nil, err
	}
	if binary.LittleEndian.Uint32(gb) != sched.GlobalMagic {
		return nil, nil // not formatted yet: the executor has not started
	}
	g, err := sched.DecodeGlobal(gb)
	if err != nil {
		return []coThread{{id: strconv.FormatUint(badLocalBase, 16), why: "no coroutine",
			extra: "kernel COPS state (" + GlobalSymbol + ") does not decode: " + err.Error()}}, nil
	}
	var out []coThread
	// The kernel's own coroutines.
	b, err := t.C.ReadMemory(t.cops.local, sched.LocalSize)
	if err != nil {
		return nil, err
	}
	out = append(out, localRows(b, 0, nil, threads, t.consoleID())...)
	for _, ps := range g.Procs {
		if ps.ID == 0 {
			continue
		}
		addr := procAddr(gb, ps.ID)
		if addr == 0 {
			continue // a process of threads only
		}
		owner := t.owner(threads, addr)
		if addr%pageSize != 0 || addr >= maxKernelAddr {
			out = append(out, badLocal(ps.ID, owner, fmt.Errorf("its Local's address %#x is not a kernel page", addr)))
			continue
		}
		lb, err := t.C.ReadMemory(addr, sched.LocalSize)
		if err != nil {
			return nil, err
		}
		out = append(out, localRows(lb, ps.ID, owner, threads, 0)...)
	}
	return out, nil
}

// procAddr is Procs[slot].Addr in a raw Global.
func procAddr(g []byte, slot uint16) uint64 {
	return binary.LittleEndian.Uint64(g[sched.OffKProcs+int(slot)*sched.KProcSize+24:])
}

func badLocal(slot uint16, owner *ktrace.Slot, err error) coThread {
	who := fmt.Sprintf("process slot %d", slot)
	if owner != nil {
		who = fmt.Sprintf("pid %d (%s)", owner.PID, owner.ProcName())
	}
	return coThread{id: strconv.FormatUint(badLocalBase+uint64(slot), 16),
		extra: who + ": its Local does not decode: " + err.Error(), why: "no coroutine"}
}

// localRows decodes the Local of process slot p (owner: one of its
// threads, nil for the kernel or when unknown) into rows; console is the
// console driver's id (0: unknown).
func localRows(b []byte, p uint16, owner *ktrace.Slot, threads []ktrace.Slot, console uint32) []coThread {
	ls, err := sched.DecodeLocal(b, p)
	if err != nil {
		return []coThread{badLocal(p, owner, err)}
	}
	var out []coThread
	for _, c := range ls.Cos {
		if c.State == sched.Exited {
			continue // a free slot
		}
		r := coThread{id: strconv.FormatUint(coThreadBase|uint64(c.ID&coIDMask), 16), co: c}
		running := c.State == sched.Running || c.State == sched.Suspended
		switch {
		case p == 0:
			r.extra = fmt.Sprintf("kernel coroutine %#x %v prio %d %v", c.ID, c.State, c.Prio, c.Kind)
			switch {
			case c.Kind == sched.KindKernelScheduler:
				r.extra += " (the process scheduler)"
			case c.ID == console && console != 0:
				r.extra += " (console driver)"
			}
			r.hart = c.State == sched.Running
			if r.hart {
				r.extra += " on the hart"
			} else {
				r.why = notRunning
			}
		default:
			who := fmt.Sprintf("process slot %d", p)
			if owner != nil {
				who = fmt.Sprintf("pid %d (%s)", owner.PID, owner.ProcName())
				r.pid = owner.PID
			}
			r.extra = fmt.Sprintf("coroutine %#x of %s %v prio %d %v", c.ID, who, c.State, c.Prio, c.Kind)
			switch {
			case !running:
				r.why = notRunning
			case owner == nil:
				r.why = "no thread of its process known"
			default:
				r.slot = runningThread(threads, owner.PID)
				if r.slot == nil {
					r.why = "none of its process's threads runs now"
				} else {
					r.extra += fmt.Sprintf(" on tid %d", r.slot.TID)
				}
			}
		}
		if r.why != "" {
			r.extra += ": " + r.why
		}
		out = append(out, r)
	}
	return out
}

// notRunning ends the row of a coroutine that is not running.
const notRunning = "not running, no stack of its own"

// runningThread is pid's thread the thread table says is Running.
func runningThread(threads []ktrace.Slot, pid uint16) *ktrace.Slot {
	for i := range threads {
		if threads[i].PID == pid && sched.State(threads[i].State) == sched.Running {
			s := threads[i]
			return &s
		}
	}
	return nil
}

// owner finds a thread whose address space maps proc.LocalVA onto addr.
func (t *Target) owner(threads []ktrace.Slot, addr uint64) *ktrace.Slot {
	tried := map[uint16]bool{}
	for i := range threads {
		s := threads[i]
		if tried[s.PID] || s.Frame == 0 {
			continue
		}
		tried[s.PID] = true
		_, satp, err := t.frame(&s)
		if err != nil {
			continue
		}
		if pa, err := t.translate(satp, proc.LocalVA); err == nil && pa == addr {
			return &s
		}
	}
	return nil
}

// consoleID reads the console driver's coroutine id (0: unknown).
func (t *Target) consoleID() uint32 {
	if t.cops.console == 0 || t.cops.driverID < 0 {
		return 0
	}
	b, err := t.C.ReadMemory(t.cops.console, 8)
	if err != nil {
		return 0
	}
	d := binary.LittleEndian.Uint64(b)
	if d < kernelBase || d >= maxKernelAddr {
		return 0
	}
	if b, err = t.C.ReadMemory(d+uint64(t.cops.driverID), 4); err != nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}
