package kalloc

import (
	"math/rand"
	"strings"
	"testing"
)

const ramBase = 0x80000000

func mustNew(t testing.TB, base, size uint64) *Allocator {
	t.Helper()
	a, err := New(base, size)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNew(t *testing.T) {
	a := mustNew(t, ramBase, 512<<20)
	if a.Total() != 131072 || a.FreeCount() != 131072 || a.Base() != ramBase {
		t.Errorf("Total %d FreeCount %d Base %#x", a.Total(), a.FreeCount(), a.Base())
	}
	// Rounding inward: 0x80000001..0x80003fff holds frames 0x80001000, 0x80002000.
	a = mustNew(t, ramBase+1, 0x3ffe)
	if a.Total() != 2 || a.Base() != ramBase+0x1000 {
		t.Errorf("rounded: Total %d Base %#x", a.Total(), a.Base())
	}
	for _, c := range []struct{ base, size uint64 }{{ramBase, 0}, {ramBase, 4095}, {ramBase + 1, 4096}, {^uint64(0) - 10, 100}} {
		if _, err := New(c.base, c.size); err == nil {
			t.Errorf("New(%#x, %#x) accepted", c.base, c.size)
		}
	}
}

func TestAllocAll(t *testing.T) {
	const n = 200 // not a multiple of 64
	a := mustNew(t, ramBase, n*PageSize)
	seen := map[uint64]bool{}
	for i := 0; i < n; i++ {
		pa, ok := a.Alloc()
		if !ok {
			t.Fatalf("Alloc %d failed", i)
		}
		if pa != ramBase+uint64(i)*PageSize || seen[pa] {
			t.Fatalf("Alloc %d = %#x", i, pa)
		}
		seen[pa] = true
	}
	if pa, ok := a.Alloc(); ok {
		t.Fatalf("Alloc beyond the end = %#x", pa)
	}
	if a.FreeCount() != 0 {
		t.Errorf("FreeCount = %d", a.FreeCount())
	}
	// Freeing one frame makes exactly it available again.
	if err := a.Free(ramBase + 77*PageSize); err != nil {
		t.Fatal(err)
	}
	if pa, ok := a.Alloc(); !ok || pa != ramBase+77*PageSize {
		t.Errorf("realloc = %#x %v", pa, ok)
	}
}

func TestFreeErrors(t *testing.T) {
	a := mustNew(t, ramBase, 16*PageSize)
	pa, _ := a.Alloc()
	if err := a.Free(pa); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pa   uint64
		want string
	}{
		{pa, "double free"},
		{pa + 8, "aligned"},
		{ramBase - PageSize, "outside"},
		{ramBase + 16*PageSize, "outside"},
		{0, "outside"},
	} {
		before := a.FreeCount()
		err := a.Free(c.pa)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Free(%#x) = %v, want %q", c.pa, err, c.want)
		}
		if a.FreeCount() != before {
			t.Errorf("failed Free changed FreeCount")
		}
	}
}

func TestReserve(t *testing.T) {
	a := mustNew(t, ramBase, 128*PageSize)
	// A kernel image of 10.5 frames at the start, a device tree in the middle of frame 100.
	if err := a.Reserve(ramBase, 10*PageSize+2048); err != nil {
		t.Fatal(err)
	}
	if err := a.Reserve(ramBase+100*PageSize+100, 200); err != nil {
		t.Fatal(err)
	}
	if err := a.Reserve(ramBase, PageSize); err != nil {
		t.Errorf("re-reserve: %v", err)
	}
	if a.FreeCount() != 128-11-1 {
		t.Errorf("FreeCount = %d, want %d", a.FreeCount(), 128-12)
	}
	if pa, _ := a.Alloc(); pa != ramBase+11*PageSize {
		t.Errorf("first Alloc after Reserve = %#x", pa)
	}
	if err := a.Free(ramBase + 3*PageSize); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("Free of reserved frame: %v", err)
	}
	if err := a.Reserve(ramBase+11*PageSize, 1); err == nil || !strings.Contains(err.Error(), "allocated") {
		t.Errorf("Reserve of allocated frame: %v", err)
	}
	if err := a.Reserve(ramBase+127*PageSize, 2*PageSize); err == nil {
		t.Error("Reserve past the end accepted")
	}
	if a.FreeCount() != 128-13 {
		t.Errorf("failed Reserve changed FreeCount to %d", a.FreeCount())
	}
	for {
		pa, ok := a.Alloc()
		if !ok {
			break
		}
		if pa < ramBase+11*PageSize || pa == ramBase+100*PageSize {
			t.Fatalf("Alloc returned reserved frame %#x", pa)
		}
	}
}

// TestRandom runs random Alloc/Free against a reference set.
func TestRandom(t *testing.T) {
	const n = 1000
	a := mustNew(t, ramBase, n*PageSize)
	r := rand.New(rand.NewSource(42))
	held := map[uint64]bool{}
	var list []uint64
	for step := 0; step < 100000; step++ {
		if r.Intn(2) == 0 || len(list) == 0 {
			pa, ok := a.Alloc()
			if ok != (len(held) < n) {
				t.Fatalf("step %d: Alloc ok=%v with %d held", step, ok, len(held))
			}
			if !ok {
				continue
			}
			if held[pa] || pa%PageSize != 0 || pa < ramBase || pa >= ramBase+n*PageSize {
				t.Fatalf("step %d: Alloc = %#x (held %v)", step, pa, held[pa])
			}
			held[pa] = true
			list = append(list, pa)
		} else {
			i := r.Intn(len(list))
			pa := list[i]
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
			delete(held, pa)
			if err := a.Free(pa); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		if a.FreeCount() != n-len(held) {
			t.Fatalf("step %d: FreeCount %d, want %d", step, a.FreeCount(), n-len(held))
		}
	}
}

// BenchmarkAllocFree: one Alloc + Free pair on a 512 MiB allocator that is
// half full (the hint keeps the scan short).
func BenchmarkAllocFree(b *testing.B) {
	a := mustNew(b, ramBase, 512<<20)
	for i := 0; i < a.Total()/2; i++ {
		a.Alloc()
	}
	b.ReportAllocs()
	for b.Loop() {
		pa, ok := a.Alloc()
		if !ok {
			b.Fatal("out of frames")
		}
		a.Free(pa)
	}
}

// BenchmarkAllocAll: allocating every frame of 512 MiB, reported per frame.
func BenchmarkAllocAll(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		a := mustNew(b, ramBase, 512<<20)
		b.StartTimer()
		for {
			if _, ok := a.Alloc(); !ok {
				break
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/131072, "ns/frame")
}
