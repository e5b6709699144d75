package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
)

// TestPipeFDsAbove255: pipe2 reports descriptor numbers past 255 whole
// (a program with 200 goroutines each reading its own pipe holds 400).
func TestPipeFDsAbove255(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	call, sc := sysCaller(t, p)
	for i := 0; i < 200; i++ {
		if r := call(uabi.SYS_PIPE2, sc, 0); r != 0 {
			t.Fatalf("pipe2 #%d = %d", i, int64(r))
		}
		var b [8]byte
		p.Space.CopyIn(b[:], sc)
		r, w := binary.LittleEndian.Uint32(b[:]), binary.LittleEndian.Uint32(b[4:])
		if want := uint32(3 + 2*i); r != want || w != want+1 {
			t.Fatalf("pipe2 #%d gave fds %d, %d; want %d, %d", i, r, w, want, want+1)
		}
	}
}
