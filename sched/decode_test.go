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
	if _, err := DecodeLocal(r.Locals[2].Bytes(), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeLocal(r.Locals[2].Bytes(), 3); err == nil {
		t.Fatal("a Local decoded as another process's")
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

// lbase is the offset of process p's Local in a Region dump.
func lbase(p uint16) int { return GlobalPad + int(p)*LocalSize }

// findCo returns the process and slot of the first live coroutine in
// state st of r, searching processes 1.. in order.
func findCo(t testing.TB, r *Region, st State) (uint16, uint16) {
	for p := uint16(1); p < MaxProcs; p++ {
		if r.Procs[p].Flags&ProcUsed == 0 {
			continue
		}
		for i, cb := range r.Locals[p].Cos {
			if cb.Flags&CBFree == 0 && cb.ID != 0 && cb.State == st {
				return p, uint16(i)
			}
		}
	}
	t.Fatalf("fixture has no %v coroutine", st)
	return 0, 0
}

// TestDecodeRejects corrupts one thing at a time and expects an error that
// names the offset.
func TestDecodeRejects(t *testing.T) {
	base := busyRegion(t)
	rp, ready := findCo(t, base, Ready)
	np, running := findCo(t, base, Running)
	cbOff := func(p, s uint16, f int) int { return lbase(p) + OffCos + int(s)*CBSize + f }
	cases := []struct {
		name string
		mut  func(b []byte)
		off  int
		msg  string
	}{
		{"magic", func(b []byte) { b[0] ^= 1 }, 0, "magic"},
		{"version", func(b []byte) { b[4] = 9 }, 4, "version"},
		{"ring size", func(b []byte) { b[8] = 3 }, 8, "ring size"},
		{"local magic", func(b []byte) { b[lbase(rp)] ^= 1 }, lbase(rp), "magic"},
		{"local owner", func(b []byte) { b[lbase(rp)+6] ^= 1 }, lbase(rp) + 6, "owner"},
		{"state enum", func(b []byte) { b[cbOff(rp, ready, 12)] = 77 }, cbOff(rp, ready, 12), "state"},
		{"kind enum", func(b []byte) { b[cbOff(rp, ready, 10)] = 9 }, cbOff(rp, ready, 10), "kind"},
		{"kernel kind in user process", func(b []byte) { b[cbOff(rp, ready, 10)] = byte(KindKernelSyscall) }, cbOff(rp, ready, 10), "kernel kind"},
		{"prio", func(b []byte) { b[cbOff(rp, ready, 11)] = 8 }, cbOff(rp, ready, 11), "priority"},
		{"foreign id", func(b []byte) { b[cbOff(rp, ready, 1)] ^= 1 << (procBits - 1) }, cbOff(rp, ready, 0), "coroutine id"},
		{"queue cycle", func(b []byte) { binary.LittleEndian.PutUint16(b[cbOff(rp, ready, 4):], ready) }, cbOff(rp, ready, 4), "linked twice"},
		{"link out of range", func(b []byte) { binary.LittleEndian.PutUint16(b[cbOff(rp, ready, 4):], 5000) }, cbOff(rp, ready, 4), "out of range"},
		{"global prio", func(b []byte) { b[OffProcPrio+1] = 8 }, OffProcPrio + 1, "global priority"},
		{"ring tail", func(b []byte) { binary.LittleEndian.PutUint64(b[OffGSeq+8:], 1<<40) }, OffGSeq + 8, "ring tail"},
		{"lost current", func(b []byte) {
			binary.LittleEndian.PutUint16(b[lbase(np)+14:], NoIdx)
		}, cbOff(np, running, 12), "not current"},
		{"hart cross-check", func(b []byte) { binary.LittleEndian.PutUint16(b[OffHartProc:], 3) }, OffHartProc, "hart 0"},
		{"truncated", func(b []byte) {}, 0, "bytes"},
	}
	for _, tc := range cases {
		b := append([]byte(nil), base.Bytes()...)
		tc.mut(b)
		if tc.name == "truncated" {
			b = b[:RegionSize-1]
		}
		expectDecodeError(t, tc.name, b, tc.off, tc.msg)
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
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, uint16(OffKProcs/4))
	f.Add([]byte{7}, uint16((lbase(1)+OffCos)/4+3))
	f.Fuzz(func(t *testing.T, data []byte, off uint16) {
		if s, err := Decode(data); err == nil && s == nil {
			t.Fatal("nil snapshot without error")
		}
		b := append([]byte(nil), base.Bytes()...)
		copy(b[int(off)*4%(lbase(5)):], data)
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
			off := int(binary.LittleEndian.Uint16(patch[i:])) * 9 % lbase(5)
			b[off] = patch[i+2]
		}
		if s, err := Decode(b); err == nil && s == nil {
			t.Fatal("nil snapshot without error")
		}
	})
}

// TestDecodeGlobal: the kernel's part alone decodes to what the whole
// region says about processes, harts and the trace, and its checks fire.
func TestDecodeGlobal(t *testing.T) {
	r := busyRegion(t)
	full, err := Decode(r.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	g, err := DecodeGlobal(r.Global.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Procs) != len(full.Procs) || len(g.Events) != len(full.Events) || g.Seq != full.Seq {
		t.Fatalf("procs %d/%d events %d/%d", len(g.Procs), len(full.Procs), len(g.Events), len(full.Events))
	}
	for i, ps := range g.Procs {
		fp := full.Procs[i]
		if ps.ID != fp.ID || ps.Prio != fp.Prio || ps.Hart != fp.Hart || ps.UintrPending != fp.UintrPending {
			t.Fatalf("process %d: %+v, full decode %+v", ps.ID, ps, fp)
		}
	}
	if g.Harts[1].Proc != 2 || g.Harts[1].Co != NoCo {
		t.Fatalf("hart 1: %+v", g.Harts[1])
	}
	b := append([]byte(nil), r.Global.Bytes()...)
	b[OffKProcs+3*KProcSize+4] &^= ProcUintr
	b[OffProcPrio+3] = 7
	b[OffKProcs+3*KProcSize+6] = 2
	expectGlobalError(t, b, OffProcPrio+3, "global priority 7")
	expectGlobalError(t, b[:GlobalSize-1], 0, "bytes")
}

func expectGlobalError(t *testing.T, b []byte, off int, msg string) {
	t.Helper()
	_, err := DecodeGlobal(b)
	var de *DecodeError
	if !errors.As(err, &de) || de.Off != off || !strings.Contains(de.Msg, msg) {
		t.Fatalf("DecodeGlobal: %v, want offset %d and %q", err, off, msg)
	}
}
