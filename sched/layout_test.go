package sched

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// TestLayout checks the Go struct against the byte layout documented in
// layout.go, which is what the decoder and other address spaces rely on.
func TestLayout(t *testing.T) {
	var r Region
	var p ProcBlock
	var c CB
	var e Event
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"Region.Lock", unsafe.Offsetof(r.Lock), OffLock},
		{"Region.Placements", unsafe.Offsetof(r.Placements), 28},
		{"Region.Placed", unsafe.Offsetof(r.Placed), OffPlaced},
		{"Region.FreeHead", unsafe.Offsetof(r.FreeHead), 22},
		{"Region.FreeTail", unsafe.Offsetof(r.FreeTail), 24},
		{"Region.Live", unsafe.Offsetof(r.Live), 26},
		{"Region.Seq", unsafe.Offsetof(r.Seq), OffSeq},
		{"Region.Tail", unsafe.Offsetof(r.Tail), 40},
		{"Region.Overflow", unsafe.Offsetof(r.Overflow), 48},
		{"Region.ProcPrio", unsafe.Offsetof(r.ProcPrio), OffProcPrio},
		{"Region.HartProc", unsafe.Offsetof(r.HartProc), OffHartProc},
		{"Region.Procs", unsafe.Offsetof(r.Procs), OffProcs},
		{"Region.Cos", unsafe.Offsetof(r.Cos), OffCos},
		{"Region.Ring", unsafe.Offsetof(r.Ring), OffRing},
		{"sizeof Region", unsafe.Sizeof(r), RegionSize},
		{"ProcBlock.Tail", unsafe.Offsetof(p.Tail), 16},
		{"ProcBlock.Cur", unsafe.Offsetof(p.Cur), 32},
		{"ProcBlock.Live", unsafe.Offsetof(p.Live), 34},
		{"ProcBlock.Bitmap", unsafe.Offsetof(p.Bitmap), 36},
		{"ProcBlock.Flags", unsafe.Offsetof(p.Flags), 37},
		{"ProcBlock.Hart", unsafe.Offsetof(p.Hart), 38},
		{"sizeof ProcBlock", unsafe.Sizeof(p), ProcBlockSize},
		{"CB.Next", unsafe.Offsetof(c.Next), 4},
		{"CB.Prev", unsafe.Offsetof(c.Prev), 6},
		{"CB.Proc", unsafe.Offsetof(c.Proc), 8},
		{"CB.Kind", unsafe.Offsetof(c.Kind), 10},
		{"CB.Prio", unsafe.Offsetof(c.Prio), 11},
		{"CB.State", unsafe.Offsetof(c.State), 12},
		{"CB.Flags", unsafe.Offsetof(c.Flags), 13},
		{"sizeof CB", unsafe.Sizeof(c), CBSize},
		{"Event.Seq", unsafe.Offsetof(e.Seq), 8},
		{"Event.Co", unsafe.Offsetof(e.Co), 16},
		{"Event.Waker", unsafe.Offsetof(e.Waker), 20},
		{"Event.Proc", unsafe.Offsetof(e.Proc), 24},
		{"Event.Hart", unsafe.Offsetof(e.Hart), 26},
		{"Event.Prio", unsafe.Offsetof(e.Prio), 27},
		{"Event.From", unsafe.Offsetof(e.From), 28},
		{"Event.To", unsafe.Offsetof(e.To), 29},
		{"Event.Cause", unsafe.Offsetof(e.Cause), 30},
		{"Event.Kind", unsafe.Offsetof(e.Kind), 31},
		{"Event.Arg", unsafe.Offsetof(e.Arg), 32},
		{"sizeof Event", unsafe.Sizeof(e), EventSize},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %d, layout.go documents %d", c.name, c.got, c.want)
		}
	}
	// No hidden padding: the packed (encoding/binary) size equals the
	// in-memory size, so the byte layout is exactly the field list.
	if n := binary.Size(&r); n != RegionSize {
		t.Errorf("packed Region is %d bytes, in memory %d", n, RegionSize)
	}
}

// TestBytesRoundTrip writes a region through encoding/binary (little-endian,
// field by field) and checks it equals the in-memory bytes the decoder reads.
func TestBytesRoundTrip(t *testing.T) {
	r := newTestRegion(t)
	if _, e := r.Spawn(Ctx{Now: 7}, 0, KindKernelSyscall, 3, NoWaker); e != OK {
		t.Fatal(e)
	}
	packed, err := binary.Append(nil, binary.LittleEndian, r)
	if err != nil {
		t.Fatal(err)
	}
	if string(packed) != string(r.Bytes()) {
		t.Fatal("binary.LittleEndian encoding differs from the in-memory region")
	}
}
