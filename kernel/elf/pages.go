package elf

import "iter"

// Page is one 4 KiB page of a loaded image: the loader allocates a zeroed
// frame, copies Data to offset Off in it, and maps it at Vaddr with Perm.
// Bytes of the page outside [Off, Off+len(Data)) stay zero: that is .bss
// beyond Filesz, and any part of the first page below the segment's start
// (Linux would show file bytes there; Go programs do not look).
type Page struct {
	Vaddr uint64 // page-aligned
	Perm  Perm
	Off   int    // where Data starts within the page
	Data  []byte // a sub-slice of the file, never longer than PageSize-Off
}

// Pages lists every page of img's segments in address order, with the
// slice of file (the bytes Parse accepted) that belongs in it. Segments
// never share a page (Parse checks), so each page appears once.
func (img *Image) Pages(file []byte) iter.Seq[Page] {
	return func(yield func(Page) bool) {
		for _, s := range img.Segments {
			lo, hi := s.pageRange()
			for va := lo; va < hi; va += PageSize {
				if !yield(segmentPage(s, file, va)) {
					return
				}
			}
		}
	}
}

// segmentPage computes the page at va of segment s.
func segmentPage(s Segment, file []byte, va uint64) Page {
	p := Page{Vaddr: va, Perm: s.Perm}
	start := max(va, s.Vaddr)                     // first byte of the segment in this page
	fileEnd := min(va+PageSize, s.Vaddr+s.Filesz) // end of file-backed bytes in this page
	if start < fileEnd {
		off := s.FileOff + (start - s.Vaddr)
		p.Off = int(start - va)
		p.Data = file[off : off+(fileEnd-start)]
	}
	return p
}

// NumPages is the number of pages Pages yields.
func (img *Image) NumPages() int {
	n := 0
	for _, s := range img.Segments {
		lo, hi := s.pageRange()
		n += int((hi - lo) / PageSize)
	}
	return n
}
