package proc

import (
	"encoding/binary"
	"errors"
	"testing"

	"copslab/kernel/uabi"
)

const anon = uabi.MAP_ANONYMOUS | uabi.MAP_PRIVATE

// TestMmapDemandPaging follows the Go runtime's pattern: reserve with
// PROT_NONE, commit part with MAP_FIXED read/write, touch, release.
func TestMmapDemandPaging(t *testing.T) {
	p, a, free0 := newProc(t, "uhello")
	s := p.Space
	pages := s.Pages()
	const size = 64 << 20 // far more than the simulated RAM: only reserved
	base := s.Mmap(0, size, uabi.PROT_NONE, anon, ^uint64(0))
	if int64(base) < 0 || base%PageSize != 0 || base+size > MmapTop {
		t.Fatalf("mmap = %#x", base)
	}
	if s.Pages() != pages {
		t.Fatal("PROT_NONE reservation allocated frames")
	}
	if err := s.CopyOut(base, []byte{1}); !errors.Is(err, ErrFault) {
		t.Errorf("write into PROT_NONE: %v", err)
	}
	if r := s.Mmap(base+PageSize, 4*PageSize, uabi.PROT_READ|uabi.PROT_WRITE, anon|uabi.MAP_FIXED, ^uint64(0)); r != base+PageSize {
		t.Fatalf("MAP_FIXED = %#x", r)
	}
	if err := s.Fault(base+2*PageSize+8, Write); err != nil {
		t.Fatal(err)
	}
	if err := s.CopyOut(base+3*PageSize, []byte("data")); err != nil {
		t.Fatal(err)
	}
	if s.Pages() != pages+2 {
		t.Errorf("%d pages after two touches, want %d", s.Pages()-pages, 2)
	}
	// DONTNEED: contents gone, reads as zero, frame returned.
	s.DontNeed(base+3*PageSize, PageSize)
	var b [4]byte
	if err := s.CopyIn(b[:], base+3*PageSize); err != nil || b != [4]byte{} {
		t.Errorf("after DONTNEED: %q %v", b, err)
	}
	// mprotect read-only in the middle: a write faults, a read works.
	if r := s.Mprotect(base+2*PageSize, PageSize, uabi.PROT_READ); r != 0 {
		t.Fatalf("mprotect = %d", int64(r))
	}
	if err := s.CopyOut(base+2*PageSize, b[:]); !errors.Is(err, ErrFault) {
		t.Errorf("write to a read-only page: %v", err)
	}
	if err := s.CopyOut(base+PageSize, b[:]); err != nil {
		t.Errorf("write next to it: %v", err)
	}
	if r := s.Mprotect(MmapTop+PageSize, PageSize, uabi.PROT_READ); r != uabi.Errno(uabi.ENOMEM) {
		t.Errorf("mprotect of a hole = %d", int64(r))
	}
	if r := s.Munmap(base, size); r != 0 {
		t.Fatal(r)
	}
	if s.Pages() != pages {
		t.Errorf("munmap left %d pages", s.Pages()-pages)
	}
	if err := s.CopyIn(b[:], base+PageSize); !errors.Is(err, ErrFault) {
		t.Errorf("read after munmap: %v", err)
	}
	if p.Release(); a.FreeCount() != free0 {
		t.Errorf("leaked %d frames", free0-a.FreeCount())
	}
}

func TestMmapHintsAndErrors(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	s := p.Space
	hint := uint64(0x13_0000_0000)
	if r := s.Mmap(hint, 1<<20, uabi.PROT_NONE, anon, ^uint64(0)); r != hint {
		t.Errorf("free hint not honoured: %#x", r)
	}
	if r := s.Mmap(hint, 1<<20, uabi.PROT_NONE, anon, ^uint64(0)); r == hint || int64(r) < 0 {
		t.Errorf("taken hint: %#x", r)
	}
	if r := s.Mmap(1<<40, PageSize, uabi.PROT_READ, anon, ^uint64(0)); r >= UserTop {
		t.Errorf("hint beyond Sv39 returned %#x", r)
	}
	for _, c := range []struct {
		addr, n, flags uint64
		want           int
	}{
		{0, PageSize, uabi.MAP_PRIVATE, uabi.ENODEV},
		{0, 0, anon, uabi.EINVAL},
		{0, PageSize, uabi.MAP_ANONYMOUS | uabi.MAP_SHARED, uabi.EINVAL},
		{0x1001, PageSize, anon | uabi.MAP_FIXED, uabi.EINVAL},
		{UserTop - PageSize, 2 * PageSize, anon | uabi.MAP_FIXED, uabi.EINVAL},
	} {
		if r := s.Mmap(c.addr, c.n, uabi.PROT_READ, c.flags, ^uint64(0)); r != uabi.Errno(c.want) {
			t.Errorf("mmap(%#x, %#x, flags %#x) = %d, want -%d", c.addr, c.n, c.flags, int64(r), c.want)
		}
	}
}

// TestBrk grows the break and touches it.
func TestBrk(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	cur := p.brk(0)
	if cur == 0 || cur != p.Image.End {
		t.Fatalf("brk(0) = %#x", cur)
	}
	if got := p.brk(cur + 3*PageSize); got != cur+3*PageSize {
		t.Fatalf("brk grow = %#x", got)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], 42)
	if err := p.Space.CopyOut(cur+2*PageSize, b[:]); err != nil {
		t.Errorf("write into the new break: %v", err)
	}
	if got := p.brk(UserTop); got != cur+3*PageSize {
		t.Errorf("impossible brk = %#x, want the old break", got)
	}
}

// TestHopelessMapping: a writable mapping of at least hopelessMin that
// is larger than the room left under MaxPages is refused with ENOMEM
// (the Go runtime then reports "out of memory" itself); reservations
// (PROT_NONE), mappings that fit and smaller ones are not — those meet
// the limit at a fault.
func TestHopelessMapping(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	s := p.Space
	const big = hopelessMin / PageSize
	s.MaxPages = s.Pages() + big + 10 // room: big+10 pages
	rw := uint64(uabi.PROT_READ | uabi.PROT_WRITE)
	base := s.Mmap(0, 4*hopelessMin, uabi.PROT_NONE, anon, ^uint64(0))
	if int64(base) < 0 {
		t.Fatalf("PROT_NONE reservation larger than the limit = %d", int64(base))
	}
	if r := s.Mmap(base, (big+11)*PageSize, rw, anon|uabi.MAP_FIXED, ^uint64(0)); r != uabi.Errno(uabi.ENOMEM) {
		t.Errorf("writable mapping past the room = %#x, want ENOMEM", r)
	}
	if r := s.Mmap(base, (big+10)*PageSize, rw, anon|uabi.MAP_FIXED, ^uint64(0)); r != base {
		t.Errorf("writable mapping that fits = %#x", r)
	}
	for va := base; va < base+20*PageSize; va += PageSize { // room: big-10
		if err := s.Fault(va, Write); err != nil {
			t.Fatal(err)
		}
	}
	if r := s.Mmap(0, (big-1)*PageSize, rw, anon, ^uint64(0)); int64(r) < 0 {
		t.Errorf("mapping below hopelessMin past the room = %d, want a mapping (the fault meets the limit)", int64(r))
	}
	if r := s.Mmap(0, big*PageSize, rw, anon, ^uint64(0)); r != uabi.Errno(uabi.ENOMEM) {
		t.Errorf("hopelessMin past the room = %#x, want ENOMEM", r)
	}
}
