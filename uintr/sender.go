package uintr

// The sender table: who may post to whom. As in the UINTC design (a
// sender-table entry holds valid, the vector and the receiver's index), a
// process can post only through entries the kernel wrote for it, and the
// kernel writes an entry only when the receiver grants one of its vectors
// to that sender (as UINTR's uintr_fd). Nobody can post to a receiver that
// did not grant it. The table is the kernel's: never mapped into a process.

// MaxProcs is the number of process slots (the scheduler's).
const MaxProcs = 64

// SendersPerProc is the number of sender entries per sending process.
const SendersPerProc = 16

// Entry is one sender-table entry.
type Entry struct {
	Valid  bool
	Recv   uint16 // receiving process slot
	Vector uint8
	Gen    uint32 // the receiver's registration generation when granted
}

// Senders is the kernel's sender table: [sender process][index]Entry.
type Senders struct {
	e [MaxProcs][SendersPerProc]Entry
}

// Grant writes an entry for sender to post on recv's vector and returns
// its index (what the sender names when it posts).
func (s *Senders) Grant(recv uint16, vector uint8, sender uint16, gen uint32) (int, error) {
	if int(sender) >= MaxProcs || int(recv) >= MaxProcs {
		return 0, ErrBadProc
	}
	if vector >= NVectors {
		return 0, ErrBadVector
	}
	row := &s.e[sender]
	for i := range row {
		if !row[i].Valid {
			row[i] = Entry{Valid: true, Recv: recv, Vector: vector, Gen: gen}
			return i, nil
		}
	}
	return 0, ErrTableFull
}

// Revoke removes sender's entry idx.
func (s *Senders) Revoke(sender uint16, idx int) error {
	if _, err := s.lookup(sender, idx); err != nil {
		return err
	}
	s.e[sender][idx] = Entry{}
	return nil
}

// Lookup returns sender's entry idx if valid, else ErrNotGranted.
func (s *Senders) lookup(sender uint16, idx int) (Entry, error) {
	if int(sender) >= MaxProcs || idx < 0 || idx >= SendersPerProc || !s.e[sender][idx].Valid {
		return Entry{}, ErrNotGranted
	}
	return s.e[sender][idx], nil
}

// DropProc removes every entry sent by or to proc (it exited).
func (s *Senders) DropProc(proc uint16) {
	if int(proc) >= MaxProcs {
		return
	}
	s.e[proc] = [SendersPerProc]Entry{}
	for p := range s.e {
		for i := range s.e[p] {
			if s.e[p][i].Valid && s.e[p][i].Recv == proc {
				s.e[p][i] = Entry{}
			}
		}
	}
}
