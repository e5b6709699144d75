package sched

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"testing"
)

// busyRegion returns a region after a fixed mix of operations: coroutines
// in every state, several processes, a hart assignment, ring contents.
func busyRegion(t testing.TB) *Region {
	r := new(Region)
	r.Init()
	r.TryLock(testTag)
	rng := rand.New(rand.NewSource(5))
	for p := uint16(1); p <= 4; p++ {
		r.AddProc(p)
	}
	var ids []uint32
	for i := 0; i < 3000; i++ {
		o := randomOp(rng, ids, 4, i < 200)
		if id, e := r.applyOp(o); e == OK && o.kind == 0 {
			ids = append(ids, id)
		}
	}
	r.RunOn(1, 2)
	r.Unlock(testTag)
	return r
}

func TestDecodeBusyRegion(t *testing.T) {
	r := busyRegion(t)
	s, err := Decode(r.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	states := map[State]int{}
	for _, c := range s.Cos {
		states[c.State]++
	}
	for _, st := range []State{Ready, Running, Blocked, Exited} {
		if states[st] == 0 {
			t.Errorf("fixture has no %v coroutine (%v)", st, states)
		}
	}
	if s.Seq != r.Seq || len(s.Events) != r.Pending() || len(s.Procs) != 5 {
		t.Fatalf("seq %d events %d procs %d", s.Seq, len(s.Events), len(s.Procs))
	}
	if s.Harts[1].Proc != 2 || s.Proc(2).Hart != 1 {
		t.Fatalf("hart 1 runs %d", s.Harts[1].Proc)
	}
	// A longer dump (page-rounded) decodes the same.
	if _, err := Decode(append(append([]byte(nil), r.Bytes()...), make([]byte, 100)...)); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeRejects corrupts one thing at a time and expects an error that
// names the offset.
func TestDecodeRejects(t *testing.T) {
	base := busyRegion(t)
	var ready, running uint16 = NoIdx, NoIdx
	for i := range base.Cos {
		switch {
		case base.Cos[i].Flags&CBFree != 0:
		case base.Cos[i].State == Ready && ready == NoIdx:
			ready = uint16(i)
		case base.Cos[i].State == Running && running == NoIdx:
			running = uint16(i)
		}
	}
	cbOff := func(s uint16, f int) int { return OffCos + int(s)*CBSize + f }
	cases := []struct {
		name string
		mut  func(b []byte)
		off  int
		msg  string
	}{
		{"magic", func(b []byte) { b[0] ^= 1 }, 0, "magic"},
		{"version", func(b []byte) { b[4] = 9 }, 4, "version"},
		{"ring size", func(b []byte) { b[10] = 3 }, 10, "ring size"},
		{"state enum", func(b []byte) { b[cbOff(ready, 12)] = 77 }, cbOff(ready, 12), "state"},
		{"kind enum", func(b []byte) { b[cbOff(ready, 10)] = 9 }, cbOff(ready, 10), "kind"},
		{"prio", func(b []byte) { b[cbOff(ready, 11)] = 8 }, cbOff(ready, 11), "priority"},
		{"queue cycle", func(b []byte) { binary.LittleEndian.PutUint16(b[cbOff(ready, 4):], ready) }, cbOff(ready, 4), "linked twice"},
		{"link out of range", func(b []byte) { binary.LittleEndian.PutUint16(b[cbOff(ready, 4):], 5000) }, cbOff(ready, 4), "out of range"},
		{"global prio", func(b []byte) { b[OffProcPrio+1] = 8 }, OffProcPrio + 1, "global priority"},
		{"ring tail", func(b []byte) { binary.LittleEndian.PutUint64(b[40:], 1<<40) }, 40, "ring tail"},
		{"lost current", func(b []byte) {
			p := base.Cos[running].Proc
			binary.LittleEndian.PutUint16(b[OffProcs+int(p)*ProcBlockSize+32:], NoIdx)
		}, cbOff(running, 12), "not current"},
		{"hart cross-check", func(b []byte) { binary.LittleEndian.PutUint16(b[OffHartProc:], 3) }, OffHartProc, "hart 0"},
		{"truncated", func(b []byte) {}, 0, "bytes"},
	}
	for _, tc := range cases {
		b := append([]byte(nil), base.Bytes()...)
		tc.mut(b)
		if tc.name == "truncated" {
			b = b[:RegionSize-1]
		}
		_, err := Decode(b)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: got %v, want a DecodeError", tc.name, err)
			continue
		}
		if de.Off != tc.off || !strings.Contains(de.Msg, tc.msg) {
			t.Errorf("%s: %v (off %d), want offset %d and %q", tc.name, err, de.Off, tc.off, tc.msg)
		}
	}
}

// FuzzDecode feeds arbitrary bytes to the decoder, twice: as a whole dump
// (short ones exercise the length and header checks) and overlaid at an
// arbitrary offset on a valid region (which reaches the deep checks).
// Errors are fine; a panic or a hang is not. Inputs stay small: the fuzzer
// is slow with 60 KB inputs.
func FuzzDecode(f *testing.F) {
	base := busyRegion(f)
	f.Add(append([]byte(nil), base.Bytes()[:64]...), uint16(0))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, uint16(OffProcs/4))
	f.Add([]byte{7}, uint16(OffCos/4+3))
	f.Fuzz(func(t *testing.T, data []byte, off uint16) {
		if s, err := Decode(data); err == nil && s == nil {
			t.Fatal("nil snapshot without error")
		}
		b := append([]byte(nil), base.Bytes()...)
		copy(b[int(off)*4%RegionSize:], data)
		if s, err := Decode(b); err == nil && s == nil {
			t.Fatal("nil snapshot without error")
		}
	})
}

// FuzzDecodePatch applies a few (offset, byte) patches chosen by the
// fuzzer to a valid region, which reaches the deep consistency checks far
// more often than random whole dumps do.
func FuzzDecodePatch(f *testing.F) {
	base := busyRegion(f)
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{0x10, 0x0b, 0xff, 0x20, 0x0b, 0x01})
	f.Fuzz(func(t *testing.T, patch []byte) {
		b := append([]byte(nil), base.Bytes()...)
		for i := 0; i+2 < len(patch); i += 3 {
			off := int(binary.LittleEndian.Uint16(patch[i:])) * 5 % RegionSize
			b[off] = patch[i+2]
		}
		if s, err := Decode(b); err == nil && s == nil {
			t.Fatal("nil snapshot without error")
		}
	})
}
