package sched

// This file is the contract between the scheduler (kernel, vDSO, host
// sandbox) and everything that watches it (trace ring decoder, workbench
// model, exporters). Add fields and constants at the end; never renumber.

// State is a coroutine's scheduling state.
//
//	Created ──spawn──▶ Ready ──fetch──▶ Running ──exit──▶ Exited
//	                     ▲  ◀──yield──     │ │
//	                     │                 │ └──interrupt──▶ Suspended ──resume──▶ Running
//	                     └──wake── Blocked ◀──block──┘
type State uint8

const (
	Created   State = iota // allocated, not yet queued
	Ready                  // in its process's ready queue at its priority
	Running                // being executed by a hart
	Blocked                // waiting for a wake (I/O, timer, another coroutine)
	Suspended              // interrupted while running; resumes straight to Running
	Exited                 // finished; its slot may be reused
	NumStates
)

var stateNames = [NumStates]string{"Created", "Ready", "Running", "Blocked", "Suspended", "Exited"}

func (s State) String() string {
	if s < NumStates {
		return stateNames[s]
	}
	return "State(?)"
}

// Kind says who a coroutine belongs to, as in the COPS paper.
type Kind uint8

const (
	KindKernelScheduler Kind = iota // the kernel's thread scheduler itself
	KindKernelSyscall               // kernel work done on behalf of an async system call
	KindUser                        // a coroutine of a user process
	NumKinds
)

var kindNames = [NumKinds]string{"kernel-sched", "kernel-syscall", "user"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Cause says why a transition happened.
type Cause uint8

const (
	CauseSpawn        Cause = iota // Created → Ready
	CauseFetch                     // Ready → Running: picked by the scheduler
	CauseYield                     // Running → Ready: gave the hart up voluntarily
	CauseBlock                     // Running → Blocked: awaits something
	CauseWake                      // Blocked → Ready: woken by another coroutine (Waker)
	CauseUintr                     // Blocked → Ready: woken by a user-interrupt handler (async I/O completion)
	CauseTimer                     // Blocked → Ready: a sleep expired
	CausePreempt                   // Running → Suspended: the hart was interrupted (timer)
	CauseResume                    // Suspended → Running
	CauseExit                      // Running → Exited
	CauseSetPrio                   // priority changed; From == To
	CauseIOSubmit                  // an async I/O was submitted; From == To (marks a UINTR chain's start)
	CauseIODone                    // the device completed it; From == To (kernel side of a UINTR chain)
	CauseUintrSend                 // the kernel raised the user interrupt; From == To
	CausePlace                     // the kernel-scheduler coroutine (Co) put process Arg on Hart, or took the hart's process off for kernel work (Arg = NoProc); From == To
	CauseUintrDeliver              // the kernel diverted process Proc to its user-interrupt handler (Co: the request it completes, Arg: its request id); From == To
	NumCauses
)

var causeNames = [NumCauses]string{
	"spawn", "fetch", "yield", "block", "wake", "uintr", "timer", "preempt",
	"resume", "exit", "setprio", "io-submit", "io-done", "uintr-send", "place", "uintr-deliver",
}

func (c Cause) String() string {
	if c < NumCauses {
		return causeNames[c]
	}
	if c == CauseSwitch {
		return "switch"
	}
	return "Cause(?)"
}

// CauseSwitch marks a switch record, which only a Local's ring holds:
// one record for the two transitions of a Switch — the yield of Co
// (Running → Ready) and the fetch of Waker (Ready → Running), at one
// time — with the fetched coroutine's kind in bits 0–7 of Arg and its
// priority in bits 8–15; From, To, Prio and Kind are the yielder's.
// Half the bytes of two events, for the busiest operation there is.
// Collect (the kernel) and DecodeLocal (a debugger) split it into those
// two events (SplitSwitch), so no trace outside a Local holds it: the
// causes above are all a reader of the kernel's trace ever sees.
const CauseSwitch Cause = 0x80

// SplitSwitch returns the two events a switch record stands for: the
// yield of e.Co and the fetch of e.Waker, both with e's time, sequence
// number, process and hart. For a record that is not a switch, ok is
// false.
//
// nosplit: kernel path (Collect), same rules as the vDSO's.
//
//go:nosplit
func SplitSwitch(e *Event) (yield, fetch Event, ok bool) {
	if e.Cause != CauseSwitch {
		return yield, fetch, false
	}
	yield, fetch = *e, *e
	yield.Cause, yield.Waker, yield.Arg = CauseYield, NoWaker, 0
	fetch.Co, fetch.Waker, fetch.Arg = e.Waker, NoWaker, 0
	fetch.From, fetch.To, fetch.Cause = Ready, Running, CauseFetch
	fetch.Kind, fetch.Prio = Kind(e.Arg), uint8(e.Arg>>8)
	return yield, fetch, true
}

// NoWaker is Event.Waker when no coroutine caused the transition.
const NoWaker = ^uint32(0)

// Event is one trace record. Every state transition emits one (in a
// Local's ring, a Switch's two share one record: CauseSwitch); a few
// marker causes (CauseSetPrio, CauseIOSubmit, CauseIODone, CauseUintrSend, CausePlace, CauseUintrDeliver)
// emit events with From == To so a viewer can show the stages of a wakeup.
// Events carry no Go pointers so the same record is written into the
// shared trace ring by kernel, vDSO and sandbox.
type Event struct {
	Time  uint64 // nanoseconds since boot (virtual clock in the sandbox)
	Seq   uint64 // global sequence number; gaps mean ring overflow
	Co    uint32 // coroutine id
	Waker uint32 // coroutine that caused it, or NoWaker
	Proc  uint16 // owning process id; 0 is the kernel
	Hart  uint8  // hart (CPU) that recorded it
	Prio  uint8  // coroutine priority after the event (0 highest)
	From  State
	To    State
	Cause Cause
	Kind  Kind
	Arg   uint64 // cause-specific: I/O request id for the UINTR chain, old priority for CauseSetPrio
}
