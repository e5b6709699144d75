package sched

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// TestDecodeRejectsHiddenState covers corruptions an earlier decoder
// accepted: state in an unused process slot, a wrong live count, a
// coroutine left in Created and a live coroutine with the reserved id.
func TestDecodeRejectsHiddenState(t *testing.T) {
	base := busyRegion(t)
	const unused = 10 // busyRegion uses processes 0..4
	kOff := OffKProcs + unused*KProcSize
	bp, blocked := findCo(t, base, Blocked)
	cases := []struct {
		name string
		mut  func(b []byte)
		off  int
		msg  string
	}{
		{"unused queue link", func(b []byte) { binary.LittleEndian.PutUint16(b[lbase(unused)+OffQHead+6:], 5) }, lbase(unused) + OffQHead + 6, "state in its Local"},
		{"unused tail link", func(b []byte) { binary.LittleEndian.PutUint16(b[lbase(unused)+OffQTail+14:], 5) }, lbase(unused) + OffQTail + 14, "state in its Local"},
		{"unused hart", func(b []byte) { b[kOff+5] = 2 }, kOff + 5, "hart"},
		{"unused uintr", func(b []byte) { b[kOff+4] = ProcUintr }, kOff + 4, "user interrupt"},
		{"unused global priority", func(b []byte) { b[OffProcPrio+unused] = 3 }, OffProcPrio + unused, "global priority"},
		{"local live", func(b []byte) { b[lbase(bp)+24]++ }, lbase(bp) + 24, "live count"},
		{"sampled priority", func(b []byte) { b[OffKProcs+int(bp)*KProcSize+6] ^= 1 }, OffKProcs + int(bp)*KProcSize + 6, "sampled local priority"},
		{"left in Created", func(b []byte) { b[lbase(bp)+OffCos+int(blocked)*CBSize+12] = byte(Created) }, lbase(bp) + OffCos + int(blocked)*CBSize + 12, "Created"},
	}
	for _, tc := range cases {
		b := append([]byte(nil), base.Bytes()...)
		tc.mut(b)
		expectDecodeError(t, tc.name, b, tc.off, tc.msg)
	}
}

func expectDecodeError(t *testing.T, name string, b []byte, off int, msg string) {
	t.Helper()
	_, err := Decode(b)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Errorf("%s: got %v, want a DecodeError", name, err)
		return
	}
	if de.Off != off || !strings.Contains(de.Msg, msg) {
		t.Errorf("%s: %v (off %d), want offset %d and %q", name, err, de.Off, off, msg)
	}
}

// TestDecodeRejectsReservedID: NoCo (all ones) never names a coroutine;
// Spawn skips the generation that would produce it, so a dump holding it
// in a live slot is corrupt.
func TestDecodeRejectsReservedID(t *testing.T) {
	r := newTestRegion(t)
	must(t, r.AddProc(MaxProcs-1))
	for i := 0; i < LocalCos; i++ {
		mustSpawn(t, r, MaxProcs-1, 3)
	}
	l := &r.Locals[MaxProcs-1]
	if slotOf(NoCo) != LocalCos-1 || ProcOf(NoCo) != MaxProcs-1 || l.Cos[LocalCos-1].State != Ready {
		t.Fatal("fixture: last slot of the last process not in use")
	}
	if _, err := r.Snapshot(); err != nil {
		t.Fatal(err)
	}
	l.Cos[LocalCos-1].ID = NoCo
	expectDecodeError(t, "reserved id", r.Bytes(), lbase(MaxProcs-1)+OffCos+(LocalCos-1)*CBSize, "reserved")
}

// TestLeavePreconditions: Leave asserts the lock and rejects a hart number
// out of range instead of masking it onto another hart.
func TestLeavePreconditions(t *testing.T) {
	r := newTestRegion(t)
	mustSpawn(t, r, 1, 2)
	must(t, r.RunOn(1, 1))
	if e := r.Leave(MaxHarts + 1); e != ErrBadHart {
		t.Fatalf("leave hart %d: %v, want ErrBadHart", MaxHarts+1, e)
	}
	if r.HartProc[1] != 1 || r.Procs[1].Hart != 1 {
		t.Fatal("leave of an out-of-range hart took process 1 off hart 1")
	}
	must(t, r.Unlock(testTag))
	if e := r.Leave(1); e != ErrNotLocked {
		t.Fatalf("leave without the lock: %v, want ErrNotLocked", e)
	}
	if r.HartProc[1] != 1 {
		t.Fatal("leave without the lock changed the hart table")
	}
	if e := r.RunOn(MaxHarts, 1); e != ErrNotLocked {
		t.Fatalf("run on without the lock: %v", e)
	}
	r.TryLock(testTag)
	if e := r.RunOn(MaxHarts, 1); e != ErrBadHart {
		t.Fatalf("run on hart %d: %v, want ErrBadHart", MaxHarts, e)
	}
	must(t, r.Leave(1))
	if r.HartProc[1] != NoIdx || r.Procs[1].Hart != NoHart {
		t.Fatal("leave did not clear hart 1")
	}
}

// TestLockTagZero: tag 0 means "free", so it can neither take nor release
// the lock.
func TestLockTagZero(t *testing.T) {
	r := new(Region)
	r.Init()
	if r.TryLock(0) {
		t.Fatal("TryLock(0) reported success")
	}
	if r.SpinLock(0, 5) {
		t.Fatal("SpinLock(0) reported success")
	}
	if e := r.Unlock(0); e != ErrNotLocked {
		t.Fatalf("Unlock(0) of a free lock: %v, want ErrNotLocked", e)
	}
	if !r.TryLock(7) {
		t.Fatal("lock busy")
	}
	if e := r.Unlock(0); e != ErrNotLocked || r.Lock != 7 {
		t.Fatalf("Unlock(0) of a held lock: %v, lock %d", e, r.Lock)
	}
}
