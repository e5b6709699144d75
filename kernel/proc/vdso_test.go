package proc

import (
	"encoding/binary"
	"errors"
	"testing"

	"copslab/kernel/uabi"
)

// TestVDSOMapped: with a vDSO set, a new process maps its frames at
// VDSOBase (image read+execute, data read-only), announces it first in
// the auxiliary vector, owns none of its frames, and a fork shares them.
func TestVDSOMapped(t *testing.T) {
	e := newSharedEnv(t)
	if err := SetVDSO(&VDSO{Code: []uint64{e.pa}, Data: e.pa + PageSize}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { SetVDSO(nil) })
	p := e.proc0(t)
	s := p.Space
	if w := readWord(t, s, VDSOBase); w != "vdsocode" {
		t.Errorf("image page reads %q", w)
	}
	if w := readWord(t, s, VDSOBase+PageSize); w != "vdsodata" {
		t.Errorf("data page reads %q", w)
	}
	if err := s.CopyOut(VDSOBase+PageSize, []byte("x")); !errors.Is(err, ErrFault) {
		t.Errorf("data page writable: %v", err)
	}
	sp := p.Threads[0].TF.X[RegSP]
	var b [8]byte
	word := func(i int) uint64 {
		if err := s.CopyIn(b[:], sp+8*uint64(i)); err != nil {
			t.Fatal(err)
		}
		return binary.LittleEndian.Uint64(b[:])
	}
	i := 1 + int(word(0)) + 1 // argc, argv, NULL
	for word(i) != 0 {        // envp
		i++
	}
	if word(i+1) != uabi.AT_SYSINFO_EHDR || word(i+2) != VDSOBase {
		t.Errorf("first aux pair (%d, %#x), want AT_SYSINFO_EHDR, %#x", word(i+1), word(i+2), uint64(VDSOBase))
	}
	if s.SharedPages() != 2 {
		t.Errorf("%d shared pages", s.SharedPages())
	}
	if err := s.Check(e.lo, e.hi); err != nil {
		t.Error(err)
	}
	c, err := s.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if w := readWord(t, c, VDSOBase); w != "vdsocode" {
		t.Errorf("forked space reads %q", w)
	}
	c.Release()
	p.Release()
	if e.a.FreeCount() != e.free0 {
		t.Errorf("%d frames free, want %d", e.a.FreeCount(), e.free0)
	}
	if err := SetVDSO(&VDSO{Code: make([]uint64, 14)}); err == nil {
		t.Error("a vDSO overlapping the trampoline accepted")
	}
}

// TestVDSOMemoryPerProcess measures what the vDSO costs a process: the
// frames a new process takes from the pool with and without it are the
// same (its pages are shared, and beside the stack top they need no page
// table of their own).
func TestVDSOMemoryPerProcess(t *testing.T) {
	used := func(v *VDSO) (int, int) {
		e := newSharedEnv(t)
		if v != nil {
			v = &VDSO{Code: []uint64{e.pa}, Data: e.pa + PageSize}
		}
		if err := SetVDSO(v); err != nil {
			t.Fatal(err)
		}
		defer SetVDSO(nil)
		p := e.proc0(t)
		defer p.Release()
		return e.free0 - e.a.FreeCount(), p.Space.SharedPages()
	}
	without, _ := used(nil)
	with, shared := used(&VDSO{})
	t.Logf("frames per process: %d without the vDSO, %d with it (%d shared pages mapped)", without, with, shared)
	if with != without || shared != 2 {
		t.Errorf("the vDSO costs a process %d frames (%d shared pages)", with-without, shared)
	}
}
