// Package record writes a workbench session to a file and reads it back,
// so a run can be reopened and scrubbed like a live one.
//
// # File format (version 1, all integers little-endian)
//
//	offset 0   magic   "COPSREC\x00"                    8 bytes
//	       8   version uint16 (1)
//	      10   meta length n uint32, then n bytes of JSON (Meta)
//	then frames until the end frame:
//	       kind   uint8   (1 events, 2 snapshot, 3 end, 4 names)
//	       length uint32  payload bytes (at most MaxFrame)
//	       crc    uint32  CRC-32 (IEEE) of the payload
//	       payload
//	events payload:   count uint32, then count × 40-byte records
//	                  (Time u64, Seq u64, Arg u64, Co u32, Waker u32,
//	                   Proc u16, Hart u8, Prio u8, From u8, To u8,
//	                   Cause u8, Kind u8)
//	snapshot payload: JSON of a model.Snapshot taken after every event
//	                  written before it (a keyframe for the reader)
//	end payload:      JSON of Trailer (event count, end time)
//	names payload:    JSON of a model.Snapshot used only for its names
//	                  (taken before the first events; not a keyframe)
//
// Events are fixed-size binary because a long run holds millions of them;
// snapshots are rare and JSON keeps them easy to evolve. Every frame has a
// checksum, so a damaged file is reported with the offset of the bad frame
// instead of being shown wrongly. A file without an end frame (the
// recorder was killed) is reported as truncated.
package record

import (
	"encoding/binary"
	"errors"
	"fmt"

	"copslab/sched"
)

// Magic starts every recording.
const Magic = "COPSREC\x00"

// Version is the format version written; readers accept only it.
const Version = 1

// Limits.
const (
	MaxMeta     = 1 << 20  // bytes of header JSON
	MaxFrame    = 64 << 20 // bytes of one frame's payload
	ChunkEvents = 4096     // events per events frame written
	eventSize   = 40
)

// Frame kinds.
const (
	frameEvents   = 1
	frameSnapshot = 2
	frameEnd      = 3
	frameNames    = 4
)

// Meta describes a recording; it is the file's header.
type Meta struct {
	Target      string `json:"target"`             // target kind, e.g. "sandbox"
	Scenario    string `json:"scenario,omitempty"` // scenario name or file
	Description string `json:"description,omitempty"`
	Created     string `json:"created,omitempty"` // RFC 3339
	Tool        string `json:"tool,omitempty"`
}

// Trailer ends a recording.
type Trailer struct {
	Events uint64 `json:"events"`
	End    uint64 `json:"end"` // virtual time at the end, ns
}

// ErrFormat is wrapped by every error about a malformed file.
var ErrFormat = errors.New("not a valid copslab recording")

// FormatError says what is wrong with a recording and where.
type FormatError struct {
	Offset int64
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("recording: %s (at byte %d)", e.Msg, e.Offset)
}

func (e *FormatError) Unwrap() error { return ErrFormat }

func putEvent(b []byte, e *sched.Event) {
	le := binary.LittleEndian
	le.PutUint64(b[0:], e.Time)
	le.PutUint64(b[8:], e.Seq)
	le.PutUint64(b[16:], e.Arg)
	le.PutUint32(b[24:], e.Co)
	le.PutUint32(b[28:], e.Waker)
	le.PutUint16(b[32:], e.Proc)
	b[34], b[35] = e.Hart, e.Prio
	b[36], b[37], b[38], b[39] = uint8(e.From), uint8(e.To), uint8(e.Cause), uint8(e.Kind)
}

func getEvent(b []byte) (sched.Event, error) {
	le := binary.LittleEndian
	e := sched.Event{
		Time: le.Uint64(b[0:]), Seq: le.Uint64(b[8:]), Arg: le.Uint64(b[16:]),
		Co: le.Uint32(b[24:]), Waker: le.Uint32(b[28:]), Proc: le.Uint16(b[32:]),
		Hart: b[34], Prio: b[35],
		From: sched.State(b[36]), To: sched.State(b[37]), Cause: sched.Cause(b[38]), Kind: sched.Kind(b[39]),
	}
	switch {
	case e.From >= sched.NumStates || e.To >= sched.NumStates:
		return e, fmt.Errorf("event %d: bad state %d→%d", e.Seq, b[36], b[37])
	case e.Cause >= sched.NumCauses:
		return e, fmt.Errorf("event %d: bad cause %d", e.Seq, b[38])
	case e.Kind >= sched.NumKinds:
		return e, fmt.Errorf("event %d: bad kind %d", e.Seq, b[39])
	case e.Prio >= sched.NumPrio:
		return e, fmt.Errorf("event %d: bad priority %d", e.Seq, e.Prio)
	}
	return e, nil
}
