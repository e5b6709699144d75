package proc

import (
	"fmt"
	"testing"

	"copslab/kernel/uabi"
)

// TestMeminfo: /proc/meminfo reads the frame pool's free memory, and
// follows it as frames are taken.
func TestMeminfo(t *testing.T) {
	p, a, _ := newProc(t, "uhello")
	sys := &System{Phys: p.Space.phys, Frames: a, NewPID: func() int { return 2 }}
	sys.Add(p)
	call, sc := sysCaller(t, p)
	p.Space.CopyOut(sc, append([]byte("/proc/meminfo"), 0))
	read := func() string {
		fd := call(uabi.SYS_OPENAT, uint64(0xffffffffffffff9c), sc, 0)
		if int64(fd) < 0 {
			t.Fatalf("open /proc/meminfo = %d", int64(fd))
		}
		defer call(uabi.SYS_CLOSE, fd)
		n := call(uabi.SYS_READ, fd, sc+256, 200)
		if int64(n) <= 0 {
			t.Fatalf("read = %d", int64(n))
		}
		b := make([]byte, n)
		p.Space.CopyIn(b, sc+256)
		return string(b)
	}
	want := func() string { return fmt.Sprintf("MemFree: %d kB\n", a.FreeCount()*PageSize/1024) }
	if got := read(); got != want() {
		t.Errorf("before: %q, want %q", got, want())
	}
	pa, ok := a.Alloc()
	if !ok {
		t.Fatal("no frame")
	}
	defer a.Free(pa)
	if got := read(); got != want() {
		t.Errorf("after taking a frame: %q, want %q", got, want())
	}
}
