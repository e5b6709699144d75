package record

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"

	"copslab/sched"
	"copslab/workbench/model"
)

// Writer writes a recording. Events are buffered into chunks; Close
// flushes them and writes the end frame. Errors are sticky.
type Writer struct {
	w     *bufio.Writer
	pend  []sched.Event
	n     uint64
	end   uint64
	err   error
	frame []byte
}

// NewWriter writes the header for meta to w.
func NewWriter(w io.Writer, meta Meta) (*Writer, error) {
	mj, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	wr := &Writer{w: bufio.NewWriterSize(w, 1<<16)}
	var h [14]byte
	copy(h[:], Magic)
	binary.LittleEndian.PutUint16(h[8:], Version)
	binary.LittleEndian.PutUint32(h[10:], uint32(len(mj)))
	wr.write(h[:])
	wr.write(mj)
	return wr, wr.err
}

func (w *Writer) write(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

// Events appends events.
func (w *Writer) Events(evs []sched.Event) error {
	for len(evs) > 0 {
		n := min(ChunkEvents-len(w.pend), len(evs))
		w.pend = append(w.pend, evs[:n]...)
		evs = evs[n:]
		if len(w.pend) == ChunkEvents {
			w.flushEvents()
		}
	}
	return w.err
}

// Snapshot appends a keyframe: the state after every event written so far.
func (w *Writer) Snapshot(s *model.Snapshot) error {
	w.flushEvents()
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if s.Time > w.end {
		w.end = s.Time
	}
	w.writeFrame(frameSnapshot, b)
	return w.err
}

// Names appends a snapshot that readers use only to learn names.
func (w *Writer) Names(s *model.Snapshot) error {
	w.flushEvents()
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	w.writeFrame(frameNames, b)
	return w.err
}

// Close writes the end frame and flushes; it does not close the file.
func (w *Writer) Close() error {
	w.flushEvents()
	b, _ := json.Marshal(Trailer{Events: w.n, End: w.end})
	w.writeFrame(frameEnd, b)
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// Count returns the number of events written.
func (w *Writer) Count() uint64 { return w.n + uint64(len(w.pend)) }

func (w *Writer) flushEvents() {
	if len(w.pend) == 0 {
		return
	}
	b := w.frame[:0]
	b = binary.LittleEndian.AppendUint32(b, uint32(len(w.pend)))
	for i := range w.pend {
		var rec [eventSize]byte
		putEvent(rec[:], &w.pend[i])
		b = append(b, rec[:]...)
		w.end = max(w.end, w.pend[i].Time)
	}
	w.frame = b
	w.n += uint64(len(w.pend))
	w.pend = w.pend[:0]
	w.writeFrame(frameEvents, b)
}

func (w *Writer) writeFrame(kind byte, payload []byte) {
	var h [9]byte
	h[0] = kind
	binary.LittleEndian.PutUint32(h[1:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(h[5:], crc32.ChecksumIEEE(payload))
	w.write(h[:])
	w.write(payload)
}
