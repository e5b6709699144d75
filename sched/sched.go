// Package sched is the COPS priority scheduler shared by the kernel, the
// vDSO page mapped into every user process, and the host sandbox.
//
// # Vocabulary
//
//   - Coroutine: the unit of scheduling. It has an id, an owning process, a
//     kind (kernel-scheduler, kernel-syscall, user), a priority 0..7 (0 is
//     highest) and a State (see event.go).
//   - Process: a kernel-schedulable context (a user process, a thread of a
//     threaded server, or the kernel itself in slot 0). Each process has a
//     ready bitmap and one FIFO per priority; its local priority is the
//     priority of its best ready (or suspended) coroutine.
//   - Global priority array: one byte per process slot holding its local
//     priority (Idle when it has nothing to run). The kernel reads it to pick
//     the next process; a pending user interrupt boosts a process to 0.
//   - Region: all of the above in one fixed-layout block of memory without
//     Go pointers (layout.go), so it can be shared between kernel and user
//     space and decoded from a raw dump (decode.go).
//
// # Rejected designs
//
//   - Ring-buffer queues per (process, priority): simple, but a FIFO of
//     MaxCos entries per queue makes the region 100× larger, and changing
//     the priority of a ready coroutine needs a search. We use intrusive
//     doubly-linked lists threaded through the coroutine control blocks
//     (every ready coroutine is in exactly one queue): O(1) push, pop and
//     unlink, and 4 bytes per coroutine.
//   - Go maps/slices/interfaces in the scheduler state: they carry pointers,
//     need the runtime and cannot be mapped into another address space.
//   - A blocking mutex: a user process preempted while holding it would make
//     every other process spin. The lock is a word in the region; the kernel
//     may spin (interrupts off, bounded critical sections), user code uses
//     TryLock and yields the hart when it fails (lock.go).
//   - Separate "current" fields per hart for coroutines: the running (or
//     suspended) coroutine is a property of its process (ProcBlock.Cur), since
//     a process runs on at most one hart at a time in this model.
//
// # Protocol (every operation)
//
//  1. The caller takes the region lock (Lock in the kernel, TryLock+yield in
//     user space). Every operation asserts it on its first line and returns
//     ErrNotLocked otherwise.
//  2. The operation validates the coroutine id (slot and generation), the
//     current state and the arguments before touching anything, so an illegal
//     transition returns an Errno and leaves every queue intact.
//  3. It moves the control block between queues, updates the process bitmap
//     and its entry in the global priority array (refresh in pick.go).
//  4. It appends one trace event to the ring in the region (trace.go); when
//     the ring is full the oldest event is dropped and Overflow is counted.
//  5. The caller releases the lock.
//
// # Hot-path rules
//
// Every function that runs on the hot path is //go:nosplit, masks every
// index with a power-of-two length, uses no globals, maps, interfaces,
// closures, pointer stores or panics, and allocates nothing, so the same
// machine code can be mapped into user processes as a vDSO page (see
// /work/shared/notes/vdso-shared-code.md). Errors are Errno values (small
// integers) rather than the error interface; Errno implements error for the
// Go-side callers.
package sched

// Limits of the region. Each is a power of two so indices can be masked.
const (
	NumPrio  = 8    // priorities 0 (highest) .. 7
	MaxProcs = 64   // process slots; slot 0 is the kernel
	MaxCos   = 1024 // coroutine control blocks
	MaxHarts = 8    // harts that may record into the region
	RingSize = 1024 // trace events kept in the ring

	coBits   = 10 // log2(MaxCos): a coroutine id is gen<<coBits | slot
	genLimit = 1<<(32-coBits) - 1
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
	ErrNotLocked       // the region lock is not held
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

// slotOf returns the control-block slot of a coroutine id.
//
// nosplit: hot path shared with the vDSO page (no stack check through g).
//
//go:nosplit
func slotOf(id uint32) uint32 { return id & (MaxCos - 1) }
