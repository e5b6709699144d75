package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uprog"
)

// TestZeroFillOnFirstTouch loads an image whose only segment has one
// page of file bytes and 256 MiB of zero fill (.bss) behind it, into a
// pool of 512 frames: the load maps the file page only, a touch far
// into the zero fill maps one more page, reads as zero and keeps what
// is written, and Release gives every frame back.
func TestZeroFillOnFirstTouch(t *testing.T) {
	good, _ := uprog.Lookup("uhello")
	img := append([]byte(nil), good.ELF...)
	ph := img[64:]
	binary.LittleEndian.PutUint32(ph[4:], 4|2|1) // PF_R | PF_W | PF_X
	filesz := binary.LittleEndian.Uint64(ph[32:])
	const bss = 256 << 20
	binary.LittleEndian.PutUint64(ph[40:], filesz+bss) // p_memsz

	phys, a := setup(t, 512)
	free0 := a.FreeCount()
	p, err := New(1, "bigbss", img, nil, phys, a)
	if err != nil {
		t.Fatalf("loading a 256 MiB .bss: %v", err)
	}
	before := p.Space.Pages()
	if before > 40 {
		t.Fatalf("%d pages mapped at load: the zero fill was mapped eagerly", before)
	}
	far := uint64(uprog.Base) + filesz + bss - 8
	var b [8]byte
	if err := p.Space.CopyIn(b[:], far); err != nil || b != [8]byte{} {
		t.Fatalf("zero fill at %#x: %v %v", far, b, err)
	}
	if err := p.Space.CopyOut(far, []byte("touched!")); err != nil {
		t.Fatal(err)
	}
	if err := p.Space.CopyIn(b[:], far); err != nil || string(b[:]) != "touched!" {
		t.Fatalf("read back %q %v", b, err)
	}
	if got := p.Space.Pages(); got != before+1 {
		t.Errorf("%d pages after one touch, want %d", got, before+1)
	}
	// The file's bytes are still there and the break starts after the zero fill.
	var hdr [4]byte
	if err := p.Space.CopyIn(hdr[:], uprog.Base); err != nil || string(hdr[:]) != "\x7fELF" {
		t.Errorf("image start %q %v", hdr, err)
	}
	if want := (uprog.Base + filesz + bss + PageSize - 1) &^ (PageSize - 1); p.Brk != want {
		t.Errorf("brk %#x, want %#x", p.Brk, want)
	}
	if err := p.Release(); err != nil {
		t.Fatal(err)
	}
	if a.FreeCount() != free0 {
		t.Errorf("%d frames free after Release, want %d", a.FreeCount(), free0)
	}
}
