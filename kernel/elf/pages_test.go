package elf

import (
	stdelf "debug/elf"
	"io"
	"path/filepath"
	"testing"
)

// TestPagesRebuildSegments loads every page into a map of memory and
// compares it with the segment contents debug/elf reads, plus zeroed .bss.
func TestPagesRebuildSegments(t *testing.T) {
	for _, name := range progs {
		b := program(t, name)
		img, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		mem := map[uint64]*[PageSize]byte{}
		perm := map[uint64]Perm{}
		last := uint64(0)
		for p := range img.Pages(b) {
			if p.Vaddr%PageSize != 0 || mem[p.Vaddr] != nil || (last != 0 && p.Vaddr <= last) {
				t.Fatalf("%s: page %#x misaligned, repeated or out of order", name, p.Vaddr)
			}
			if p.Off < 0 || p.Off+len(p.Data) > PageSize {
				t.Fatalf("%s: page %#x data [%d, +%d) outside the page", name, p.Vaddr, p.Off, len(p.Data))
			}
			var frame [PageSize]byte
			copy(frame[p.Off:], p.Data)
			mem[p.Vaddr], perm[p.Vaddr], last = &frame, p.Perm, p.Vaddr
		}
		if len(mem) != img.NumPages() {
			t.Errorf("%s: %d pages, NumPages %d", name, len(mem), img.NumPages())
		}
		f, err := stdelf.Open(filepath.Join(binDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, ph := range f.Progs {
			if ph.Type != stdelf.PT_LOAD {
				continue
			}
			want, err := io.ReadAll(ph.Open())
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, make([]byte, ph.Memsz-ph.Filesz)...)
			for i, w := range want {
				va := ph.Vaddr + uint64(i)
				page := mem[va&^(PageSize-1)]
				if page == nil {
					t.Fatalf("%s: %#x not loaded", name, va)
				}
				if page[va%PageSize] != w {
					t.Fatalf("%s: byte at %#x = %#x, want %#x", name, va, page[va%PageSize], w)
				}
			}
			if perm[ph.Vaddr&^(PageSize-1)] != permOf(ph.Flags) {
				t.Errorf("%s: segment %#x pages have %s", name, ph.Vaddr, perm[ph.Vaddr&^(PageSize-1)])
			}
		}
		f.Close()
	}
}

// TestPagesPartial covers a segment that starts and ends inside pages and
// has .bss spanning several pages.
func TestPagesPartial(t *testing.T) {
	file := make([]byte, 3*PageSize)
	for i := range file {
		file[i] = byte(i%251 + 1)
	}
	img := &Image{Segments: []Segment{{Vaddr: 0x10100, FileOff: 0x100, Filesz: 0x1f00 + 0x10, Memsz: 0x4000, Perm: R | W}}}
	var pages []Page
	for p := range img.Pages(file) {
		pages = append(pages, p)
	}
	if len(pages) != 5 || img.NumPages() != 5 {
		t.Fatalf("%d pages (NumPages %d), want 5: [0x10000, 0x15000)", len(pages), img.NumPages())
	}
	want := []struct {
		va       uint64
		off, len int
	}{{0x10000, 0x100, 0xf00}, {0x11000, 0, 0x1000}, {0x12000, 0, 0x10}, {0x13000, 0, 0}, {0x14000, 0, 0}}
	for i, w := range want {
		p := pages[i]
		if p.Vaddr != w.va || p.Off != w.off || len(p.Data) != w.len {
			t.Errorf("page %d: %#x off %#x len %#x, want %#x %#x %#x", i, p.Vaddr, p.Off, len(p.Data), w.va, w.off, w.len)
		}
	}
	if pages[0].Data[0] != file[0x100] || pages[2].Data[0] != file[0x2000] {
		t.Error("page data taken from the wrong file offset")
	}
	n := 0
	for range img.Pages(file) {
		if n++; n == 2 {
			break // early stop must be honoured
		}
	}
}
