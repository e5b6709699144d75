// Package sched is the COPS priority scheduler shared by the kernel, the
// vDSO image mapped into every user process, and the host sandbox.
//
// # Vocabulary
//
//   - Coroutine: the unit of scheduling. It has an id (unique across
//     processes: generation, process slot, control-block slot), an owning
//     process, a kind (kernel-scheduler, kernel-syscall, user), a priority
//     0..7 (0 is highest) and a State (see event.go).
//   - Process: a kernel-schedulable context (a user process, a thread of a
//     threaded server, or the kernel itself in slot 0).
//   - Local: one process's scheduler state — its ready bitmap, one FIFO per
//     priority, its coroutine control blocks, its lock and a small event
//     ring — in its own page-aligned pages, mapped read-write into that
//     process only. Its local priority is the priority of its best ready
//     (or running/suspended) coroutine.
//   - Global: the kernel's state, never mapped into a process: the global
//     priority array (one byte per process slot: its local priority, 0 if
//     a user interrupt is pending, Idle when it has nothing to run), the
//     hart table, a record per process slot and the kernel's trace ring.
//   - Sample/Collect: the kernel's defensive reading of a Local at every
//     decision (sample.go): the local priority into the global array, the
//     new events into the trace.
//   - Region: the host's composition of one Global and 64 Locals in one
//     block (the sandbox and tests); its operations do a
//     process's part and then the kernel's, as the real system does.
//   - All of it is fixed-layout memory without Go pointers (layout.go), so
//     it can be mapped into another address space and decoded from a raw
//     dump (decode.go).
//
// # Rejected designs
//
//   - One shared writable region holding every process's queues and
//     control blocks, the global priority array and the trace (this
//     package's first design). Simple, and the kernel reads priorities
//     directly, but every process could write every other process's
//     queues, the priority array (claim priority 0 forever) and the
//     kernel's trace, and one process holding the single lock stalled
//     them all. Now each process writes only its own Local; the kernel
//     derives the global priority from it with checked reads and owns
//     everything shared.
//   - A system call to publish a process's priority: costs a trap for
//     every priority change, which is what COPS avoids. The kernel reads
//     the Local directly instead (a few loads per process per decision).
//   - The kernel taking a process's Local lock to read it: a process that
//     holds its lock forever would stall the kernel. The kernel reads
//     lock-free and judges only a quiescent Local (sample.go).
//   - Ring-buffer queues per (process, priority): a FIFO of LocalCos
//     entries per queue makes a Local 8× larger, and changing the
//     priority of a ready coroutine needs a search. We use intrusive
//     doubly-linked lists threaded through the control blocks (every ready
//     coroutine is in exactly one queue): O(1) push, pop and unlink.
//   - Go maps/slices/interfaces in the scheduler state: they carry
//     pointers, need the runtime and cannot be mapped into another address
//     space.
//   - A blocking mutex: a user process preempted while holding it would
//     make every other user of it spin. Each lock is a word; the kernel
//     may spin on its own locks (interrupts off, bounded critical
//     sections), user code uses TryLock and yields the hart when it fails
//     (lock.go).
//   - A round-robin cursor shared by every placement: when placements of
//     other priorities or harts interleave, one of several equal processes
//     can win every time. The kernel places the least recently placed one
//     (pick.go).
//
// # Protocol (every coroutine operation, on a Local)
//
//  1. The caller takes the Local's lock (the kernel on its own Local, a
//     process through the vDSO: TryLock, yield on failure). Every
//     operation asserts it on its first line and returns ErrNotLocked
//     otherwise.
//  2. The operation validates the coroutine id (slot, process and
//     generation), the current state and the arguments before touching
//     anything, so an illegal transition returns an Errno and leaves every
//     queue intact.
//  3. It moves the control block between queues and updates the bitmap.
//  4. It appends one event to the Local's ring (trace.go); Switch, the
//     executors' yield-and-fetch, appends one switch record for its two
//     transitions, which the kernel splits when it collects it.
//  5. The caller releases the lock.
//
// # Protocol (every kernel decision, on the Global, its lock held)
//
//  1. For each process in use: Collect its new events into the trace
//     (checked, switch records split, renumbered, losses counted), then Sample its local
//     priority into the global array. A Fault names the process and the
//     byte; the kernel kills that process and nothing else changes.
//  2. HighestProcMask picks the best global priority a hart may run,
//     least recently placed among equals; RunOn/Leave record placements.
//
// # Hot-path rules
//
// Every function that runs on the hot path (the vDSO list and the
// kernel's per-decision list in vdso_rules_test.go) is //go:nosplit, masks
// every index with a power-of-two length, uses no globals, maps,
// interfaces, closures, pointer stores or panics, and allocates nothing,
// so the same machine code can be mapped into user processes as a vDSO
// image (see /work/shared/notes/vdso-shared-code.md) and run by the kernel
// in trap context. Errors are Errno values (small integers) rather than
// the error interface; Errno implements error for the Go-side callers.
package sched

// Limits. Each is a power of two so indices can be masked.
const (
	NumPrio   = 8    // priorities 0 (highest) .. 7
	MaxProcs  = 64   // process slots; slot 0 is the kernel
	LocalCos  = 256  // coroutine control blocks per process (Local)
	LocalRing = 64   // records (events, or switch records of two) a Local keeps until the kernel collects them
	MaxHarts  = 8    // harts that may record into the regions
	RingSize  = 1024 // events kept in the kernel's trace ring (Global)

	// A coroutine id is gen<<genShift | proc<<slotBits | slot: unique
	// across processes, so a trace event's Co alone names a coroutine,
	// and the kernel can check that a process only names its own.
	slotBits = 8 // log2(LocalCos)
	procBits = 6 // log2(MaxProcs)
	genShift = slotBits + procBits
	genLimit = 1<<(32-genShift) - 1 // never reached: all ones is NoCo
)

// Sentinels.
const (
	Idle   = 0xFF   // global priority of a process with nothing to run
	NoIdx  = 0xFFFF // empty link, no coroutine, no process
	NoHart = 0xFF   // a process that is not running on any hart
	NoCo   = NoWaker
	NoProc = uint16(NoIdx)
)

// Errno is the result of a scheduler operation. It is an integer so that
// hot paths never build interface values; it implements error for callers.
type Errno uint8

const (
	OK           Errno = iota
	ErrNotLocked       // the lock of the Local (or Global) operated on is not held
	ErrBadID           // no live coroutine with that id (stale or out of range)
	ErrBadProc         // process slot out of range or not in use
	ErrBadPrio         // priority not in 0..7
	ErrBadState        // the transition is illegal from the coroutine's state
	ErrBadCause        // the cause does not fit the operation
	ErrFull            // no free coroutine slot
	ErrEmpty           // no ready coroutine
	ErrBusy            // the process already has a running/suspended coroutine, or the lock is taken
	ErrBadRegion       // the region header is not initialised
	ErrBadKind         // kind not one of the Kind constants
	ErrBadHart         // hart number not below MaxHarts
	numErrnos
)

var errnoText = [numErrnos]string{
	"ok", "region lock not held", "no such coroutine", "bad process",
	"bad priority", "illegal state transition", "cause does not fit operation",
	"no free coroutine slot", "no ready coroutine", "busy", "region not initialised",
	"bad kind", "bad hart",
}

func (e Errno) Error() string {
	if e < numErrnos {
		return "sched: " + errnoText[e]
	}
	return "sched: Errno(?)"
}

// Err converts e to an error (nil for OK), for Go-side callers.
func (e Errno) Err() error {
	if e == OK {
		return nil
	}
	return e
}

// Ctx says where and when an operation happens; it is stamped on events.
type Ctx struct {
	Now  uint64 // nanoseconds (virtual in the sandbox)
	Hart uint8
}

// slotOf returns the control-block slot of a coroutine id in its Local.
//
// nosplit: hot path shared with the vDSO page (no stack check through g).
//
//go:nosplit
func slotOf(id uint32) uint32 { return id & (LocalCos - 1) }

// ProcOf returns the process slot a coroutine id belongs to.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func ProcOf(id uint32) uint16 { return uint16(id>>slotBits) & (MaxProcs - 1) }
