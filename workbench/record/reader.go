package record

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"copslab/sched"
	"copslab/workbench/model"
)

// Reader reads a recording frame by frame.
type Reader struct {
	r    *bufio.Reader
	off  int64
	Meta Meta
	end  *Trailer
	n    uint64
	last uint64 // time of the last event read
	buf  []byte
}

// NewReader checks the header and reads the metadata.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{r: bufio.NewReaderSize(r, 1<<16)}
	var h [14]byte
	if err := rd.full(h[:], "header"); err != nil {
		return nil, err
	}
	if string(h[:8]) != Magic {
		return nil, rd.errf(0, "bad magic %q: not a copslab recording", h[:8])
	}
	if v := binary.LittleEndian.Uint16(h[8:]); v != Version {
		return nil, rd.errf(8, "format version %d, this copslab reads version %d", v, Version)
	}
	n := binary.LittleEndian.Uint32(h[10:])
	if n > MaxMeta {
		return nil, rd.errf(10, "header of %d bytes exceeds %d", n, MaxMeta)
	}
	mj := make([]byte, n)
	if err := rd.full(mj, "header"); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(mj, &rd.Meta); err != nil {
		return nil, rd.errf(14, "header: %v", err)
	}
	return rd, nil
}

func (r *Reader) errf(off int64, f string, a ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(f, a...)}
}

func (r *Reader) full(b []byte, what string) error {
	n, err := io.ReadFull(r.r, b)
	r.off += int64(n)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return r.errf(r.off, "truncated in %s", what)
	}
	if err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return nil
}

// Frame is one unit read from a recording: events or a snapshot.
type Frame struct {
	Events   []sched.Event   // for an events frame
	Snapshot *model.Snapshot // for a snapshot frame
	Names    *model.Snapshot // for a names frame
}

// Next returns the next frame, or io.EOF after the end frame.
func (r *Reader) Next() (Frame, error) {
	if r.end != nil {
		return Frame{}, io.EOF
	}
	at := r.off
	var h [9]byte
	if err := r.full(h[:], "frame header (the recording has no end frame; was the recorder stopped?)"); err != nil {
		return Frame{}, err
	}
	kind, n := h[0], binary.LittleEndian.Uint32(h[1:])
	if n > MaxFrame {
		return Frame{}, r.errf(at, "frame of %d bytes exceeds %d", n, MaxFrame)
	}
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	p := r.buf[:n]
	if err := r.full(p, "frame payload"); err != nil {
		return Frame{}, err
	}
	if crc32.ChecksumIEEE(p) != binary.LittleEndian.Uint32(h[5:]) {
		return Frame{}, r.errf(at, "checksum mismatch: the file is damaged")
	}
	return r.decode(at, kind, p)
}

func (r *Reader) decode(at int64, kind byte, p []byte) (Frame, error) {
	switch kind {
	case frameEvents:
		return r.events(at, p)
	case frameSnapshot, frameNames:
		s := new(model.Snapshot)
		if err := json.Unmarshal(p, s); err != nil {
			return Frame{}, r.errf(at, "snapshot: %v", err)
		}
		if err := s.Validate(); err != nil {
			return Frame{}, r.errf(at, "snapshot: %v", err)
		}
		if kind == frameNames {
			return Frame{Names: s}, nil
		}
		return Frame{Snapshot: s}, nil
	case frameEnd:
		t := new(Trailer)
		if err := json.Unmarshal(p, t); err != nil {
			return Frame{}, r.errf(at, "end frame: %v", err)
		}
		if t.Events != r.n {
			return Frame{}, r.errf(at, "end frame counts %d events, file holds %d", t.Events, r.n)
		}
		r.end = t
		return Frame{}, io.EOF
	}
	return Frame{}, r.errf(at, "unknown frame kind %d", kind)
}

func (r *Reader) events(at int64, p []byte) (Frame, error) {
	if len(p) < 4 {
		return Frame{}, r.errf(at, "events frame too short")
	}
	n := binary.LittleEndian.Uint32(p)
	if uint64(len(p)-4) != uint64(n)*eventSize {
		return Frame{}, r.errf(at, "events frame: %d events need %d bytes, have %d", n, uint64(n)*eventSize, len(p)-4)
	}
	evs := make([]sched.Event, n)
	for i := range evs {
		e, err := getEvent(p[4+i*eventSize:])
		if err != nil {
			return Frame{}, r.errf(at, "%v", err)
		}
		if e.Time < r.last {
			return Frame{}, r.errf(at, "event %d goes back in time (%d after %d)", e.Seq, e.Time, r.last)
		}
		r.last = e.Time
		evs[i] = e
	}
	r.n += uint64(n)
	return Frame{Events: evs}, nil
}

// Trailer returns the end frame once Next has returned io.EOF.
func (r *Reader) Trailer() *Trailer { return r.end }

// Load reads a whole recording into a new model.
func Load(rd io.Reader) (Meta, *model.Model, error) {
	r, err := NewReader(rd)
	if err != nil {
		return Meta{}, nil, err
	}
	m := model.New()
	for {
		f, err := r.Next()
		if err == io.EOF {
			return r.Meta, m, nil
		}
		if err != nil {
			return r.Meta, nil, err
		}
		if f.Names != nil {
			m.Learn(f.Names)
		}
		m.Add(f.Events...)
		if f.Snapshot != nil {
			m.Sync(f.Snapshot)
		}
	}
}

// LoadFile reads the recording at path.
func LoadFile(path string) (Meta, *model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, nil, err
	}
	defer f.Close()
	meta, m, err := Load(f)
	if err != nil {
		return meta, nil, fmt.Errorf("%s: %w", path, err)
	}
	return meta, m, nil
}
