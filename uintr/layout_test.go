package uintr

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// TestLayout checks the table in layout.go against the Go structs.
func TestLayout(t *testing.T) {
	var r Receiver
	var rec Record
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Receiver size", unsafe.Sizeof(r), RecvSize},
		{"Ctl", unsafe.Offsetof(r.Ctl), OffCtl},
		{"Deferred", unsafe.Offsetof(r.Deferred), OffDeferred},
		{"Enable", unsafe.Offsetof(r.Enable), OffEnable},
		{"Pending", unsafe.Offsetof(r.Pending), OffPending},
		{"Handler", unsafe.Offsetof(r.Handler), OffHandler},
		{"Stack", unsafe.Offsetof(r.Stack), OffStack},
		{"Head", unsafe.Offsetof(r.Head), OffHead},
		{"Tail", unsafe.Offsetof(r.Tail), OffTail},
		{"Stray", unsafe.Offsetof(r.Stray), 64},
		{"Drained", unsafe.Offsetof(r.Drained), 72},
		{"Wake", unsafe.Offsetof(r.Wake), OffWake},
		{"PCLog", unsafe.Offsetof(r.PCLog), OffPCLog},
		{"Recs", unsafe.Offsetof(r.Recs), OffRecs},
		{"Done", unsafe.Offsetof(r.Done), OffDone},
		{"Record size", unsafe.Sizeof(rec), RecordSize},
		{"Record.Result", unsafe.Offsetof(rec.Result), 8},
		{"Record.Co", unsafe.Offsetof(rec.Co), 16},
		{"Record.Op", unsafe.Offsetof(rec.Op), 20},
		{"Record.Vector", unsafe.Offsetof(rec.Vector), 22},
		{"Record.Seq", unsafe.Offsetof(rec.Seq), 24},
		{"Done size", unsafe.Sizeof(Done{}), DoneSize},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
	if n := binary.Size(&r); n != RecvSize {
		t.Errorf("binary.Size = %d, want %d (hidden padding)", n, RecvSize)
	}
	if RingRecs&(RingRecs-1) != 0 || NVectors != 64 {
		t.Errorf("RingRecs %d must be a power of two; NVectors %d must be 64 (one word of bits)", RingRecs, NVectors)
	}
}
