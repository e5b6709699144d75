package vm

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"copslab/kernel/kalloc"
)

const ramBase = 0x80000000

// simMem is simulated physical RAM over [base, base+8*len(words)).
type simMem struct {
	t     testing.TB
	base  uint64
	words []uint64
}

func (m *simMem) index(pa uint64) int {
	if pa%8 != 0 || pa < m.base || pa >= m.base+8*uint64(len(m.words)) {
		m.t.Fatalf("simulated memory access at %#x outside RAM or misaligned", pa)
	}
	return int((pa - m.base) / 8)
}
func (m *simMem) Load(pa uint64) uint64 { return m.words[m.index(pa)] }
func (m *simMem) Store(pa, v uint64)    { m.words[m.index(pa)] = v }

// limited hands out at most n more frames.
type limited struct {
	*kalloc.Allocator
	n int
}

func (l *limited) Alloc() (uint64, bool) {
	if l.n == 0 {
		return 0, false
	}
	l.n--
	return l.Allocator.Alloc()
}

// setup gives a page table over pages frames of simulated RAM.
func setup(t testing.TB, pages int) (*PageTable, *kalloc.Allocator, *simMem) {
	t.Helper()
	mem := &simMem{t: t, base: ramBase, words: make([]uint64, pages*PageSize/8)}
	a, err := kalloc.New(ramBase, uint64(pages)*PageSize)
	if err != nil {
		t.Fatal(err)
	}
	// Leave dirt in RAM so New and new tables must zero it.
	for i := range mem.words {
		mem.words[i] = 0xdeadbeefdeadbeef
	}
	pt, err := New(mem, a)
	if err != nil {
		t.Fatal(err)
	}
	return pt, a, mem
}

// TestPTELayout checks entries bit for bit against the spec's layout.
func TestPTELayout(t *testing.T) {
	pt, _, mem := setup(t, 16)
	if pt.Root() != ramBase {
		t.Fatalf("root at %#x", pt.Root())
	}
	// va 0x40201000: VPN[2]=1, VPN[1]=1, VPN[0]=1.
	if err := pt.Map(0x40201000, 0x87654000, PageSize, R|W|A|D); err != nil {
		t.Fatal(err)
	}
	// Frames come lowest-first: L1 table at +0x1000, L0 table at +0x2000.
	rootPTE := mem.Load(ramBase + 8*1)
	l1PTE := mem.Load(ramBase + 0x1000 + 8*1)
	leaf := mem.Load(ramBase + 0x2000 + 8*1)
	// Pointer PTE: PPN = 0x80001 at bit 10, only V set.
	if rootPTE != 0x20000401 {
		t.Errorf("root PTE = %#x, want 0x20000401", rootPTE)
	}
	if l1PTE != 0x20000801 {
		t.Errorf("level-1 PTE = %#x, want 0x20000801", l1PTE)
	}
	// Leaf: PPN 0x87654 << 10 = 0x21d95000, D|A|W|R|V = 0xc7.
	if leaf != 0x21d950c7 {
		t.Errorf("leaf PTE = %#x, want 0x21d950c7", leaf)
	}
	if pa, p, ok := pt.Translate(0x40201abc); !ok || pa != 0x87654abc || p != R|W|A|D {
		t.Errorf("Translate = %#x %s %v", pa, p, ok)
	}
	// Every other root entry stayed zero despite the dirty RAM.
	for i := uint64(0); i < 512; i++ {
		if i != 1 && mem.Load(ramBase+8*i) != 0 {
			t.Fatalf("root entry %d = %#x, not zeroed", i, mem.Load(ramBase+8*i))
		}
	}
}

func TestSATP(t *testing.T) {
	pt, _, _ := setup(t, 4)
	// MODE 8 in 63..60, ASID 0x1234 in 59..44, PPN 0x80000 in 43..0.
	if got := pt.SATP(0x1234); got != 0x8123400000080000 {
		t.Errorf("SATP = %#x, want 0x8123400000080000", got)
	}
	if got := pt.SATP(0); got>>60 != 8 || got&(1<<44-1) != ramBase>>12 {
		t.Errorf("SATP(0) = %#x", got)
	}
}

func TestHighHalfAndPerm(t *testing.T) {
	pt, _, _ := setup(t, 16)
	va := uint64(0xffffffc000000000) // lowest address of the upper half
	if err := pt.Map(va, 0x80100000, 2*PageSize, R|X|G); err != nil {
		t.Fatal(err)
	}
	if pa, p, ok := pt.Translate(va + PageSize + 5); !ok || pa != 0x80101005 || p != R|X|G {
		t.Errorf("Translate = %#x %s %v", pa, p, ok)
	}
	// The very last page: va+size wraps to 0, which Unmap's pruning must handle.
	last := uint64(0xfffffffffffff000)
	if err := pt.Map(last, 0x80200000, PageSize, R); err != nil {
		t.Fatal(err)
	}
	if pa, _, ok := pt.Translate(last + 0xfff); !ok || pa != 0x80200fff {
		t.Errorf("Translate(last byte) = %#x %v", pa, ok)
	}
	if err := pt.Unmap(last, PageSize); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := pt.Translate(last); ok {
		t.Error("last page still mapped after Unmap")
	}
	if got := (R | X | U | A).String(); got != "r-xu-a-" {
		t.Errorf("Perm.String = %q", got)
	}
	if got := (R | W | X | U | G | A | D).String(); got != "rwxugad" {
		t.Errorf("Perm.String = %q", got)
	}
}

func TestMapErrors(t *testing.T) {
	pt, a, _ := setup(t, 16)
	if err := pt.Map(0x10000, 0x80010000, PageSize, R|W); err != nil {
		t.Fatal(err)
	}
	free := a.FreeCount()
	cases := []struct {
		name         string
		va, pa, size uint64
		perm         Perm
		want         string
	}{
		{"va misaligned", 0x10001, 0x80000000, PageSize, R, "aligned"},
		{"pa misaligned", 0x20000, 0x80000010, PageSize, R, "aligned"},
		{"size misaligned", 0x20000, 0x80000000, 100, R, "aligned"},
		{"empty", 0x20000, 0x80000000, 0, R, "empty"},
		{"non-canonical", 1 << 38, 0x80000000, PageSize, R, "canonical"},
		{"non-canonical high", 0xffff000000000000, 0x80000000, PageSize, R, "canonical"},
		{"crosses hole", 1<<38 - PageSize, 0x80000000, 2 * PageSize, R, "canonical"},
		{"wraps", 0xfffffffffffff000, 0x80000000, 2 * PageSize, R, "wraps"},
		{"pa too high", 0x20000, MaxPA - PageSize, 2 * PageSize, R, "56-bit"},
		{"remap", 0x0f000, 0x80000000, 2 * PageSize, R, "already mapped"},
		{"no R or X", 0x20000, 0x80000000, PageSize, U, "neither R nor X"},
		{"W without R", 0x20000, 0x80000000, PageSize, W | X, "W without R"},
		{"stray bits", 0x20000, 0x80000000, PageSize, R | 1<<8, "outside"},
	}
	for _, c := range cases {
		err := pt.Map(c.va, c.pa, c.size, c.perm)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if a.FreeCount() != free {
		t.Errorf("failed Maps used %d frames", free-a.FreeCount())
	}
	if _, _, ok := pt.Translate(0x0f000); ok {
		t.Error("failed remap left a mapping at 0xf000")
	}
	if pa, _, ok := pt.Translate(0x10000); !ok || pa != 0x80010000 {
		t.Error("failed remap disturbed the existing mapping")
	}
	if err := pt.Unmap(0x10000, 2*PageSize); err == nil || !strings.Contains(err.Error(), "not mapped") {
		t.Errorf("Unmap of a partly unmapped range: %v", err)
	}
	if _, _, ok := pt.Translate(0x10000); !ok {
		t.Error("failed Unmap removed a mapping")
	}
}

// TestOutOfFrames makes Map run out of table frames midway: the table and
// the frame count must be as before.
func TestOutOfFrames(t *testing.T) {
	mem := &simMem{t: t, base: ramBase, words: make([]uint64, 64*PageSize/8)}
	alloc, _ := kalloc.New(ramBase, 64*PageSize)
	frames := &limited{Allocator: alloc, n: 3} // root, one L1, one L0
	pt, err := New(mem, frames)
	if err != nil {
		t.Fatal(err)
	}
	before := append([]uint64(nil), mem.words...)
	free := alloc.FreeCount()
	// 4 MiB from 1 MiB below a 2 MiB boundary needs three level-0 tables.
	err = pt.Map(0x100000, 0x80000000, 4<<20, R|W)
	if !errors.Is(err, ErrNoFrames) {
		t.Fatalf("Map = %v, want ErrNoFrames", err)
	}
	if alloc.FreeCount() != free {
		t.Errorf("frames leaked: %d free, want %d", alloc.FreeCount(), free)
	}
	for i := range before {
		if mem.words[i] != before[i] {
			t.Fatalf("memory word %#x changed by the failed Map", ramBase+8*i)
		}
	}
	if _, _, ok := pt.Translate(0x100000); ok {
		t.Error("failed Map left a mapping")
	}
	frames.n = 100
	if err := pt.Map(0x100000, 0x80000000, 4<<20, R|W); err != nil {
		t.Errorf("Map after frames returned: %v", err)
	}
}

func TestDestroyReturnsFrames(t *testing.T) {
	pt, a, _ := setup(t, 256)
	start := a.FreeCount() + 1 // before New took the root
	for _, r := range []struct{ va, size uint64 }{{0, 3 << 20}, {1 << 30, PageSize}, {0xffffffffffe00000, 2 << 20}} {
		if err := pt.Map(r.va, 0x80000000, r.size, R); err != nil {
			t.Fatal(err)
		}
	}
	if a.FreeCount() >= start-1 {
		t.Fatal("mapping used no frames")
	}
	if err := pt.Destroy(); err != nil {
		t.Fatal(err)
	}
	if a.FreeCount() != start {
		t.Errorf("after Destroy %d frames free, want %d", a.FreeCount(), start)
	}
	if err := pt.Map(0, 0x80000000, PageSize, R); err == nil {
		t.Error("Map after Destroy succeeded")
	}
	if err := pt.Destroy(); err == nil {
		t.Error("second Destroy succeeded")
	}
}

func TestTranslateSuperpages(t *testing.T) {
	pt, _, mem := setup(t, 8)
	// A 1 GiB leaf in root slot 3 (va 0xc0000000) mapping pa 0x80000000.
	mem.Store(pt.Root()+8*3, leafPTE(0x80000000, R|W|X))
	if pa, p, ok := pt.Translate(0xc0123456); !ok || pa != 0x80123456 || p != R|W|X {
		t.Errorf("gigapage Translate = %#x %s %v", pa, p, ok)
	}
	// Misaligned gigapage (PPN[1] != 0) is reserved: no translation.
	mem.Store(pt.Root()+8*4, leafPTE(0x80200000, R))
	if _, _, ok := pt.Translate(0x100000000); ok {
		t.Error("misaligned superpage translated")
	}
	// W without R is reserved.
	mem.Store(pt.Root()+8*5, leafPTE(0x80000000, W))
	if _, _, ok := pt.Translate(0x140000000); ok {
		t.Error("W-only leaf translated")
	}
	if err := pt.Map(0xc0000000, 0x80000000, PageSize, R); err == nil {
		t.Error("Map through a superpage succeeded")
	}
}

// TestRandomAgainstReference maps and unmaps random ranges in both halves
// of the address space, compares every page with a reference map, and
// checks that unmapping everything frees every intermediate table.
func TestRandomAgainstReference(t *testing.T) {
	pt, a, _ := setup(t, 4096)
	afterRoot := a.FreeCount()
	r := rand.New(rand.NewSource(7))
	ref := map[uint64]leaf{}
	perms := []Perm{R, R | W, R | X, X, R | W | X | U, R | U | A | D, R | G}
	// Pages are drawn from a few windows so that collisions and shared
	// tables are common: near 0, around a 1 GiB boundary, top of memory.
	windows := []uint64{0, 1<<30 - 64*PageSize, 0xffffffffffe00000 - 64*PageSize}
	randVA := func() uint64 { return windows[r.Intn(len(windows))] + uint64(r.Intn(128))*PageSize }
	maps, unmaps := 0, 0
	for step := 0; step < 20000; step++ {
		va, n := randVA(), uint64(1+r.Intn(8))
		size := n * PageSize
		if checkRange(va, size) != nil {
			continue
		}
		mapped, free := 0, 0
		for i := uint64(0); i < n; i++ {
			if _, ok := ref[va+i*PageSize]; ok {
				mapped++
			} else {
				free++
			}
		}
		if r.Intn(2) == 0 {
			pa, perm := 0x100000000+uint64(r.Intn(1<<20))*PageSize, perms[r.Intn(len(perms))]
			err := pt.Map(va, pa, size, perm)
			if (err == nil) != (mapped == 0) {
				t.Fatalf("step %d: Map(%#x, %d pages) = %v with %d already mapped", step, va, n, err, mapped)
			}
			if err == nil {
				maps++
				for i := uint64(0); i < n; i++ {
					ref[va+i*PageSize] = leaf{pa + i*PageSize, perm}
				}
			}
		} else {
			err := pt.Unmap(va, size)
			if (err == nil) != (free == 0) {
				t.Fatalf("step %d: Unmap(%#x, %d pages) = %v with %d unmapped", step, va, n, err, free)
			}
			if err == nil {
				unmaps++
				for i := uint64(0); i < n; i++ {
					delete(ref, va+i*PageSize)
				}
			}
		}
		if step%100 == 0 {
			checkAll(t, pt, ref, windows)
		}
	}
	checkAll(t, pt, ref, windows)
	t.Logf("%d maps, %d unmaps succeeded; %d pages mapped at the end", maps, unmaps, len(ref))
	if maps < 1000 || unmaps < 1000 {
		t.Errorf("only %d maps and %d unmaps succeeded: the test exercises too little", maps, unmaps)
	}
	for va := range ref {
		if err := pt.Unmap(va, PageSize); err != nil {
			t.Fatal(err)
		}
	}
	if a.FreeCount() != afterRoot {
		t.Errorf("after unmapping everything %d frames free, want %d (only the root in use)", a.FreeCount(), afterRoot)
	}
}

// leaf is the reference model's entry for one page.
type leaf struct {
	pa   uint64
	perm Perm
}

// checkAll compares Translate with ref on every page of the windows.
func checkAll(t *testing.T, pt *PageTable, ref map[uint64]leaf, windows []uint64) {
	t.Helper()
	for _, w := range windows {
		for i := uint64(0); i < 128; i++ {
			va := w + i*PageSize
			want, mapped := ref[va]
			pa, perm, ok := pt.Translate(va + 0x123)
			if ok != mapped {
				t.Fatalf("Translate(%#x) ok=%v, reference says mapped=%v", va, ok, mapped)
			}
			if ok && (pa != want.pa+0x123 || perm != want.perm) {
				t.Fatalf("Translate(%#x) = %#x %s, want %#x %s", va, pa, perm, want.pa+0x123, want.perm)
			}
		}
	}
}

func BenchmarkMapUnmap2M(b *testing.B) {
	pt, _, _ := setup(b, 64)
	b.ReportAllocs()
	for b.Loop() {
		if err := pt.Map(0x400000, 0x80000000, 2<<20, R|W); err != nil {
			b.Fatal(err)
		}
		if err := pt.Unmap(0x400000, 2<<20); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/512, "ns/page")
}

func BenchmarkTranslate(b *testing.B) {
	pt, _, _ := setup(b, 64)
	pt.Map(0x400000, 0x80000000, 2<<20, R|W)
	va := uint64(0x400000)
	for b.Loop() {
		pt.Translate(va)
		va = 0x400000 + (va+PageSize)%(2<<20)
	}
}
