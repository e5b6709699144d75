package proc

import (
	"math/rand"
	"testing"

	"copslab/kernel/uabi"
)

// walk collects the table frames and leaf mappings of s's page table.
func walk(t *testing.T, s *Space, _ *simPhys) (tables map[uint64]bool, leaves map[uint64]uint64) {
	l, err := s.PT.Walk()
	if err != nil {
		t.Fatal(err)
	}
	return l.Tables, l.Leaves
}

// TestSpaceStress runs random Go-runtime-like memory calls and checks
// after each that the page table, the page map and the allocator agree:
// no frame is both a table and a page, no frame is mapped twice, and
// every frame in use is accounted for.
func TestSpaceStress(t *testing.T) {
	phys, a := setup(t, 2048)
	prog := mustProg(t, "uhello")
	p, err := New(1, "x", prog, nil, phys, a)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Space
	r := rand.New(rand.NewSource(3))
	base := s.Mmap(0x13_0000_0000, 4<<20, uabi.PROT_NONE, anon, ^uint64(0))
	page := func() uint64 { return base + uint64(r.Intn(1024))*PageSize }
	for step := 0; step < 4000; step++ {
		va, n := page(), uint64(1+r.Intn(16))*PageSize
		if va+n > base+4<<20 {
			n = base + 4<<20 - va
		}
		switch r.Intn(6) {
		case 0:
			s.Mmap(va, n, uabi.PROT_READ|uabi.PROT_WRITE, anon|uabi.MAP_FIXED, ^uint64(0))
		case 1:
			s.Mmap(va, n, uabi.PROT_NONE, anon|uabi.MAP_FIXED, ^uint64(0))
		case 2:
			s.Mprotect(va, n, []uint64{uabi.PROT_READ, uabi.PROT_READ | uabi.PROT_WRITE, uabi.PROT_NONE}[r.Intn(3)])
		case 3:
			s.DontNeed(va, n)
		default:
			for i := 0; i < 8; i++ {
				s.Fault(page()+8, Write)
			}
		}
		tables, leaves := walk(t, s, phys)
		if len(leaves) != len(s.pages) {
			t.Fatalf("step %d: %d leaves, %d pages recorded", step, len(leaves), len(s.pages))
		}
		seen := map[uint64]bool{}
		for va, pa := range leaves {
			if s.pages[va] != pa || tables[pa] || seen[pa] {
				t.Fatalf("step %d: va %#x → %#x (recorded %#x, is table %v, seen %v)", step, va, pa, s.pages[va], tables[pa], seen[pa])
			}
			seen[pa] = true
		}
		if used := a.Total() - a.FreeCount(); used != len(tables)+len(leaves) {
			t.Fatalf("step %d: %d frames in use, %d tables + %d pages", step, used, len(tables), len(leaves))
		}
	}
	if err := p.Release(); err != nil || a.FreeCount() != a.Total() {
		t.Fatalf("release: %v, %d of %d free", err, a.FreeCount(), a.Total())
	}
}

func mustProg(t *testing.T, name string) []byte {
	t.Helper()
	p, ok := lookup(name)
	if !ok {
		t.Fatal(name)
	}
	return p
}
