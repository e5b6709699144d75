package ktrace

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"copslab/sched"
)

func TestTableLayout(t *testing.T) {
	var tb ThreadTable
	var s Slot
	for _, o := range []struct {
		name      string
		got, want uintptr
	}{
		{"Slots", unsafe.Offsetof(tb.Slots), 6},
		{"SlotSize", unsafe.Offsetof(tb.SlotSize), 8},
		{"Live", unsafe.Offsetof(tb.Live), 12},
		{"Slot", unsafe.Offsetof(tb.Slot), OffSlots},
		{"sizeof", unsafe.Sizeof(tb), TableBytes},
		{"slot.Frame", unsafe.Offsetof(s.Frame), 8},
		{"slot.Name", unsafe.Offsetof(s.Name), 16},
		{"slot size", unsafe.Sizeof(s), SlotSize},
	} {
		if o.got != o.want {
			t.Errorf("%s at %d, layout says %d", o.name, o.got, o.want)
		}
	}
	if n := binary.Size(&tb); n != TableBytes {
		t.Errorf("packed size %d: hidden padding", n)
	}
}

func TestTableFollowsThreads(t *testing.T) {
	reset()
	Spawn(1, 1, 0, "init", 0x1000)
	Spawn(1, 2, -20, "init", 0x2000)
	Spawn(65, 65, 0, "a-very-long-process-name", 0x3000)
	Place(2)
	Block(2)
	Exit(1)
	if Table.Magic != TableMagic || Table.Live != 2 {
		t.Fatalf("magic %#x live %d", Table.Magic, Table.Live)
	}
	byTID := map[uint32]Slot{}
	for _, s := range Table.Slot {
		if s.TID != 0 {
			byTID[s.TID] = s
		}
	}
	s2, s65 := byTID[2], byTID[65]
	if len(byTID) != 2 || s2.State != uint8(sched.Blocked) || s2.Prio != 0 || s2.Frame != 0x2000 || s2.PID != 1 {
		t.Errorf("slots %+v", byTID)
	}
	if string(s65.Name[:]) != "a-very-long-proc" || s65.State != uint8(sched.Ready) {
		t.Errorf("tid 65: %+v", s65)
	}
	// The freed slot is reused.
	Spawn(1, 3, 0, "init", 0x4000)
	if Table.Slot[0].TID != 3 || Table.Live != 3 {
		t.Errorf("slot 0 holds tid %d, live %d", Table.Slot[0].TID, Table.Live)
	}
}

func TestDecodeTable(t *testing.T) {
	reset()
	Spawn(7, 7, 0, "sh", 0x1000)
	Spawn(7, 8, 0, "sh", 0x2000)
	Exit(7)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&Table)), TableBytes)
	slots, err := DecodeTable(b)
	if err != nil || len(slots) != 1 || slots[0].TID != 8 || slots[0].ProcName() != "sh" || slots[0].Frame != 0x2000 {
		t.Fatalf("slots %+v, %v", slots, err)
	}
	bad := append([]byte(nil), b...)
	bad[0] ^= 1
	if _, err := DecodeTable(bad); err == nil {
		t.Error("bad magic accepted")
	}
	if _, err := DecodeTable(b[:10]); err == nil {
		t.Error("short dump accepted")
	}
	if s, err := DecodeTable(make([]byte, TableBytes)); err != nil || s != nil {
		t.Errorf("empty table: %v, %v", s, err)
	}
}
