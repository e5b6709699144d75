package proc

import (
	"errors"
	"testing"

	"copslab/kernel/kalloc"
	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
	"copslab/kernel/vm"
)

// sharedEnv is simulated RAM whose frame pool covers the first 512
// pages; two more pages after the pool stand for frames the kernel owns
// (a vDSO's code and data), each starting with a marker.
type sharedEnv struct {
	phys   *simPhys
	a      *kalloc.Allocator
	free0  int    // frames free before any process
	lo, hi uint64 // the pool
	pa     uint64 // the two kernel-owned frames
}

func newSharedEnv(t *testing.T) *sharedEnv {
	t.Helper()
	const pool = 512
	e := &sharedEnv{phys: &simPhys{ram: make([]byte, (pool+2)*PageSize)}}
	a, err := kalloc.New(ramBase, pool*PageSize)
	if err != nil {
		t.Fatal(err)
	}
	e.a, e.free0 = a, a.FreeCount()
	e.lo, e.hi = ramBase, ramBase+pool*PageSize
	e.pa = e.hi
	copy(e.phys.Bytes(e.pa, 8), "vdsocode")
	copy(e.phys.Bytes(e.pa+PageSize, 8), "vdsodata")
	return e
}

// proc0 starts uhello.
func (e *sharedEnv) proc0(t *testing.T) *Proc {
	t.Helper()
	prog, _ := uprog.Lookup("uhello")
	p, err := New(1, "uhello", prog.ELF, nil, e.phys, e.a)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// proc starts uhello with the two frames mapped shared at sharedVA:
// code read+execute, data read-only.
func (e *sharedEnv) proc(t *testing.T) *Proc {
	t.Helper()
	p := e.proc0(t)
	if err := p.Space.MapShared(sharedVA, e.pa, PageSize, vm.R|vm.X); err != nil {
		t.Fatal(err)
	}
	if err := p.Space.MapShared(sharedVA+PageSize, e.pa+PageSize, PageSize, vm.R); err != nil {
		t.Fatal(err)
	}
	return p
}

const sharedVA = 0x3f_0000_0000

func readWord(t *testing.T, s *Space, va uint64) string {
	t.Helper()
	b := make([]byte, 8)
	if err := s.CopyIn(b, va); err != nil {
		t.Fatalf("CopyIn(%#x): %v", va, err)
	}
	return string(b)
}

// TestMapShared: shared pages are read through the table with their own
// permission, are not owned pages, pass Check (though outside the pool)
// and are not freed by Release.
func TestMapShared(t *testing.T) {
	e := newSharedEnv(t)
	p := e.proc(t)
	s := p.Space
	if s.SharedPages() != 2 {
		t.Errorf("%d shared pages, want 2", s.SharedPages())
	}
	if got := e.free0 - e.a.FreeCount(); got <= s.Pages() {
		t.Errorf("%d frames in use for %d owned pages: page tables missing?", got, s.Pages())
	}
	if w := readWord(t, s, sharedVA+PageSize); w != "vdsodata" {
		t.Errorf("shared data page reads %q", w)
	}
	if err := s.CopyOut(sharedVA, []byte("x")); !errors.Is(err, ErrFault) {
		t.Errorf("write to the shared read+execute page = %v", err)
	}
	if err := s.CopyOut(sharedVA+PageSize, []byte("x")); !errors.Is(err, ErrFault) {
		t.Errorf("write to the shared read-only page = %v", err)
	}
	if _, perm, _ := s.PT.Translate(sharedVA); perm&(vm.R|vm.W|vm.X|vm.U) != vm.R|vm.X|vm.U {
		t.Errorf("shared code page perm %v", perm)
	}
	if err := s.Check(e.lo, e.hi); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := p.Release(); err != nil {
		t.Fatal(err)
	}
	if e.a.FreeCount() != e.free0 {
		t.Errorf("%d frames free after Release, want %d", e.a.FreeCount(), e.free0)
	}
	if string(e.phys.Bytes(e.pa, 8)) != "vdsocode" {
		t.Error("Release touched the shared frame")
	}
}

// TestMapSharedRejects: bad ranges, W+X and overlaps are refused and
// leave the space as it was.
func TestMapSharedRejects(t *testing.T) {
	e := newSharedEnv(t)
	p := e.proc(t)
	s := p.Space
	region := s.Mmap(0, 4*PageSize, uabi.PROT_READ, anon, ^uint64(0))
	for _, c := range []struct {
		name      string
		va, pa, n uint64
		perm      vm.Perm
	}{
		{"unaligned va", sharedVA + 2*PageSize + 8, e.pa, PageSize, vm.R},
		{"unaligned pa", sharedVA + 2*PageSize, e.pa + 8, PageSize, vm.R},
		{"empty", sharedVA + 2*PageSize, e.pa, 0, vm.R},
		{"above user space", UserTop - PageSize, e.pa, 2 * PageSize, vm.R},
		{"no access", sharedVA + 2*PageSize, e.pa, PageSize, 0},
		{"write+execute", sharedVA + 2*PageSize, e.pa, PageSize, vm.R | vm.W | vm.X},
		{"over a shared page", sharedVA - PageSize, e.pa, 2 * PageSize, vm.R},
		{"over the text", uprog.Base, e.pa, PageSize, vm.R},
		{"over a region", region + PageSize, e.pa, PageSize, vm.R},
	} {
		if err := s.MapShared(c.va, c.pa, c.n, c.perm); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	if s.SharedPages() != 2 {
		t.Errorf("%d shared pages after refusals, want 2", s.SharedPages())
	}
	if err := s.Check(e.lo, e.hi); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestSharedFork: a forked space maps the same frames (a change by their
// owner shows in both) instead of copying them; each release leaves
// them alone.
func TestSharedFork(t *testing.T) {
	e := newSharedEnv(t)
	p := e.proc(t)
	used := e.free0 - e.a.FreeCount()
	c, err := p.Space.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if c.SharedPages() != 2 || c.Pages() != p.Space.Pages() {
		t.Errorf("clone: %d shared, %d own pages; parent %d, %d", c.SharedPages(), c.Pages(), p.Space.SharedPages(), p.Space.Pages())
	}
	if got := e.free0 - e.a.FreeCount(); got != 2*used {
		t.Errorf("after fork %d frames in use, want %d (the shared ones are not copied)", got, 2*used)
	}
	copy(e.phys.Bytes(e.pa+PageSize, 8), "newtime!")
	for _, s := range []*Space{p.Space, c} {
		if w := readWord(t, s, sharedVA+PageSize); w != "newtime!" {
			t.Errorf("after the owner's update a space reads %q", w)
		}
		if err := s.Check(e.lo, e.hi); err != nil {
			t.Errorf("Check: %v", err)
		}
	}
	if _, perm, _ := c.PT.Translate(sharedVA); perm&vm.X == 0 || perm&vm.W != 0 {
		t.Errorf("clone's shared code page perm %v", perm)
	}
	if err := c.Release(); err != nil {
		t.Fatal(err)
	}
	if w := readWord(t, p.Space, sharedVA); w != "vdsocode" {
		t.Errorf("parent after the child's release reads %q", w)
	}
	if err := p.Release(); err != nil {
		t.Fatal(err)
	}
	if e.a.FreeCount() != e.free0 {
		t.Errorf("%d frames free at the end, want %d", e.a.FreeCount(), e.free0)
	}
}

// TestSharedAndMmap: mmap never places memory over shared pages,
// mprotect cannot change them, munmap and MAP_FIXED only drop this
// space's mapping (the frame stays with its owner).
func TestSharedAndMmap(t *testing.T) {
	e := newSharedEnv(t)
	p := e.proc(t)
	s := p.Space
	if r := s.Mmap(sharedVA, PageSize, uabi.PROT_READ, anon, ^uint64(0)); r == sharedVA {
		t.Error("mmap hint over a shared page honoured")
	}
	if r := s.Mprotect(sharedVA, PageSize, uabi.PROT_READ|uabi.PROT_WRITE); r != uabi.Errno(uabi.ENOMEM) {
		t.Errorf("mprotect of a shared page = %d, want ENOMEM", int64(r))
	}
	if r := s.Munmap(sharedVA, PageSize); r != 0 {
		t.Fatalf("munmap = %d", int64(r))
	}
	if err := s.CopyIn(make([]byte, 1), sharedVA); !errors.Is(err, ErrFault) {
		t.Errorf("read after munmap: %v", err)
	}
	if r := s.Mmap(sharedVA+PageSize, PageSize, uabi.PROT_READ|uabi.PROT_WRITE, anon|uabi.MAP_FIXED, ^uint64(0)); r != sharedVA+PageSize {
		t.Fatalf("MAP_FIXED over the shared data page = %#x", r)
	}
	if err := s.CopyOut(sharedVA+PageSize, []byte("mine")); err != nil {
		t.Fatalf("write to the private page that replaced it: %v", err)
	}
	if s.SharedPages() != 0 {
		t.Errorf("%d shared pages left", s.SharedPages())
	}
	if err := s.Check(e.lo, e.hi); err != nil {
		t.Errorf("Check: %v", err)
	}
	if string(e.phys.Bytes(e.pa+PageSize, 8)) != "vdsodata" {
		t.Error("the shared frame was written")
	}
	if p.Release(); e.a.FreeCount() != e.free0 {
		t.Errorf("%d frames free at the end, want %d", e.a.FreeCount(), e.free0)
	}
}

// TestCheckSharedTampering: Check notices a shared page whose entry no
// longer maps the recorded frame or permission, or that maps one of the
// space's own frames.
func TestCheckSharedTampering(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper func(s *Space, e *sharedEnv)
	}{
		{"other frame", func(s *Space, e *sharedEnv) {
			s.PT.Unmap(sharedVA, PageSize)
			s.PT.Map(sharedVA, e.pa+PageSize, PageSize, vm.R|vm.X|userPerm)
		}},
		{"made writable", func(s *Space, e *sharedEnv) {
			s.PT.Unmap(sharedVA+PageSize, PageSize)
			s.PT.Map(sharedVA+PageSize, e.pa+PageSize, PageSize, vm.R|vm.W|userPerm)
		}},
		{"own frame", func(s *Space, e *sharedEnv) {
			own := s.pages[uprog.Base]
			s.PT.Unmap(sharedVA, PageSize)
			s.PT.Map(sharedVA, own, PageSize, vm.R|vm.X|userPerm)
			s.shared[sharedVA] = sharedPage{own, vm.R | vm.X}
		}},
		{"unrecorded", func(s *Space, e *sharedEnv) { delete(s.shared, sharedVA) }},
	} {
		e := newSharedEnv(t)
		p := e.proc(t)
		c.tamper(p.Space, e)
		if err := p.Space.Check(e.lo, e.hi); err == nil {
			t.Errorf("%s: Check accepted it", c.name)
		}
	}
}
