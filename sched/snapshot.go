package sched

// Snapshot is a decoded copy of a region: plain Go values, safe to keep
// and to hand to a viewer. Decode builds it from raw bytes; the sandbox
// fills in the Name fields, which the region itself does not store.
type Snapshot struct {
	Seq        uint64     // sequence number of the next event
	Overflow   uint64     // events lost because the ring was full
	Lock       uint32     // lock word: 0 free, else LockTag of the holder
	GlobalPrio []uint8    // [proc] global priority or Idle; index 0 is the kernel
	Procs      []ProcSnap // processes in use, by ascending ID
	Cos        []CoSnap   // coroutines ever spawned whose slot is not reused, by slot
	Harts      []HartSnap // one per hart (MaxHarts)
	Events     []Event    // trace ring contents, oldest first
}

// ProcSnap is one process.
type ProcSnap struct {
	ID           uint16
	Name         string            // set by the sandbox; empty in a decoded dump
	Bitmap       uint8             // bit p set ⇔ Queues[p] non-empty
	Queues       [NumPrio][]uint32 // ready coroutine ids per priority, head first
	Current      uint32            // Running or Suspended coroutine, or NoCo
	Prio         uint8             // its entry in the global priority array
	Hart         uint8             // hart running it, or NoHart
	UintrPending bool              // a user interrupt is pending (boost to 0)
	Live         int               // coroutines not Exited
}

// CoSnap is one coroutine control block.
type CoSnap struct {
	ID    uint32
	Proc  uint16
	Name  string // set by the sandbox; empty in a decoded dump
	Kind  Kind
	Prio  uint8
	State State
}

// HartSnap says what a hart runs.
type HartSnap struct {
	Hart uint8
	Proc uint16 // NoProc when idle
	Co   uint32 // the process's current coroutine, or NoCo
}

// Proc returns the process with the given id, or nil.
func (s *Snapshot) Proc(id uint16) *ProcSnap {
	for i := range s.Procs {
		if s.Procs[i].ID == id {
			return &s.Procs[i]
		}
	}
	return nil
}

// Co returns the coroutine with the given id, or nil.
func (s *Snapshot) Co(id uint32) *CoSnap {
	for i := range s.Cos {
		if s.Cos[i].ID == id {
			return &s.Cos[i]
		}
	}
	return nil
}

// Snapshot decodes the region (the lock should be held, or the region
// otherwise quiescent, so it is consistent).
func (r *Region) Snapshot() (*Snapshot, error) { return Decode(r.Bytes()) }
