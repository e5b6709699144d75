package ktrace

import (
	"testing"
	"unsafe"

	"copslab/sched"
)

// FuzzDecode feeds arbitrary bytes (what a debugger may read from a
// corrupt or foreign guest) to the ring and table decoders: they return
// an error or records that pass their own checks, and never panic.
func FuzzDecode(f *testing.F) {
	reset()
	Spawn(1, 1, 0, "init", 0x1000)
	Place(1)
	f.Add(append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(&Buf)), HeaderSize+3*sched.EventSize)...))
	f.Add(append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(&Table)), 64)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, err := DecodeHeader(b); err == nil {
			if h.Tail > h.Seq || h.Seq-h.Tail > uint64(h.Size) || h.Size&(h.Size-1) != 0 {
				t.Fatalf("accepted header %+v", h)
			}
		}
		if len(b) > HeaderSize {
			evs, err := DecodeEvents(b[HeaderSize:len(b)-(len(b)-HeaderSize)%sched.EventSize], 2)
			for i, e := range evs {
				if err == nil && (e.Seq != 2+uint64(i) || e.Cause >= sched.NumCauses) {
					t.Fatalf("accepted event %+v", e)
				}
			}
		}
		full := make([]byte, TableBytes)
		copy(full, b)
		slots, err := DecodeTable(full)
		if err == nil && len(slots) > MaxThreads {
			t.Fatalf("%d slots", len(slots))
		}
	})
}
