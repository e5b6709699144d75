package sched

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// TestLayout checks the Go structs against the byte layouts documented in
// layout.go, which is what the decoders, the kernel's reader and other
// address spaces rely on.
func TestLayout(t *testing.T) {
	var g Global
	var k KProc
	var l Local
	var c CB
	var e Event
	var r Region
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"Global.NRing", unsafe.Offsetof(g.NRing), 8},
		{"Global.NHarts", unsafe.Offsetof(g.NHarts), 11},
		{"Global.Lock", unsafe.Offsetof(g.Lock), OffGLock},
		{"Global.Placements", unsafe.Offsetof(g.Placements), 16},
		{"Global.Seq", unsafe.Offsetof(g.Seq), OffGSeq},
		{"Global.Tail", unsafe.Offsetof(g.Tail), 32},
		{"Global.Overflow", unsafe.Offsetof(g.Overflow), 40},
		{"Global.Lost", unsafe.Offsetof(g.Lost), 48},
		{"Global.Clock", unsafe.Offsetof(g.Clock), 56},
		{"Global.ProcPrio", unsafe.Offsetof(g.ProcPrio), OffProcPrio},
		{"Global.HartProc", unsafe.Offsetof(g.HartProc), OffHartProc},
		{"Global.Procs", unsafe.Offsetof(g.Procs), OffKProcs},
		{"Global.Ring", unsafe.Offsetof(g.Ring), OffGRing},
		{"sizeof Global", unsafe.Sizeof(g), GlobalSize},
		{"KProc.Flags", unsafe.Offsetof(k.Flags), 4},
		{"KProc.Hart", unsafe.Offsetof(k.Hart), 5},
		{"KProc.LPrio", unsafe.Offsetof(k.LPrio), 6},
		{"KProc.Next", unsafe.Offsetof(k.Next), 8},
		{"KProc.Lost", unsafe.Offsetof(k.Lost), 16},
		{"KProc.Addr", unsafe.Offsetof(k.Addr), 24},
		{"sizeof KProc", unsafe.Sizeof(k), KProcSize},
		{"Local.Proc", unsafe.Offsetof(l.Proc), 6},
		{"Local.NCos", unsafe.Offsetof(l.NCos), 8},
		{"Local.NRing", unsafe.Offsetof(l.NRing), 10},
		{"Local.NPrio", unsafe.Offsetof(l.NPrio), 12},
		{"Local.Bitmap", unsafe.Offsetof(l.Bitmap), 13},
		{"Local.Cur", unsafe.Offsetof(l.Cur), 14},
		{"Local.Lock", unsafe.Offsetof(l.Lock), OffLLock},
		{"Local.FreeHead", unsafe.Offsetof(l.FreeHead), 20},
		{"Local.FreeTail", unsafe.Offsetof(l.FreeTail), 22},
		{"Local.Live", unsafe.Offsetof(l.Live), 24},
		{"Local.Seq", unsafe.Offsetof(l.Seq), OffLSeq},
		{"Local.Tail", unsafe.Offsetof(l.Tail), 40},
		{"Local.Overflow", unsafe.Offsetof(l.Overflow), 48},
		{"Local.QHead", unsafe.Offsetof(l.QHead), OffQHead},
		{"Local.QTail", unsafe.Offsetof(l.QTail), OffQTail},
		{"Local.Cos", unsafe.Offsetof(l.Cos), OffCos},
		{"Local.Ring", unsafe.Offsetof(l.Ring), OffLRing},
		{"sizeof Local", unsafe.Sizeof(l), LocalSize},
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
		{"Region.Locals", unsafe.Offsetof(r.Locals), GlobalPad},
		{"sizeof Region", unsafe.Sizeof(r), RegionSize},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %d, layout.go documents %d", c.name, c.got, c.want)
		}
	}
	// The documented totals, and page alignment for what is mapped.
	if GlobalSize != 43168 || LocalSize != 8192 || localUsed != 6752 || GlobalPad%PageSize != 0 || LocalSize%PageSize != 0 {
		t.Errorf("sizes: Global %d (pad %d), Local %d (used %d)", GlobalSize, GlobalPad, LocalSize, localUsed)
	}
	// No hidden padding: the packed (encoding/binary) size equals the
	// in-memory size, so the byte layout is exactly the field list.
	if n := binary.Size(&g); n != GlobalSize {
		t.Errorf("packed Global is %d bytes, in memory %d", n, GlobalSize)
	}
	if n := binary.Size(&l); n != LocalSize {
		t.Errorf("packed Local is %d bytes, in memory %d", n, LocalSize)
	}
}

// TestBytesRoundTrip writes regions through encoding/binary (little-endian,
// field by field) and checks they equal the in-memory bytes the decoders
// read.
func TestBytesRoundTrip(t *testing.T) {
	r := newTestRegion(t)
	if _, e := r.Spawn(Ctx{Now: 7}, 0, KindKernelSyscall, 3, NoWaker); e != OK {
		t.Fatal(e)
	}
	for _, v := range []struct {
		name string
		data any
		mem  []byte
	}{{"Global", &r.Global, r.Global.Bytes()}, {"Local", &r.Locals[0], r.Locals[0].Bytes()}} {
		packed, err := binary.Append(nil, binary.LittleEndian, v.data)
		if err != nil {
			t.Fatal(err)
		}
		if string(packed) != string(v.mem) {
			t.Fatalf("binary.LittleEndian encoding of the %s differs from memory", v.name)
		}
	}
}
