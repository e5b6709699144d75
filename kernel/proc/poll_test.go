package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
)

// TestPpoll: readiness of pipe ends as data comes and goes and ends
// close, a closed descriptor is POLLNVAL, a negative one skipped, only
// the asked bits (and the always-reported ones) come back, and any wait
// (NULL or non-zero timeout) is refused with EINVAL.
func TestPpoll(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	call, sc := sysCaller(t, p)
	if r := call(uabi.SYS_PIPE2, sc, 0); r != 0 {
		t.Fatalf("pipe2 = %d", int64(r))
	}
	fds := make([]byte, 8)
	p.Space.CopyIn(fds, sc)
	rd, wr := uint64(binary.LittleEndian.Uint32(fds)), uint64(binary.LittleEndian.Uint32(fds[4:]))
	tmo, set, data := sc+64, sc+128, sc+512
	p.Space.CopyOut(tmo, make([]byte, 16)) // {0, 0}
	p.Space.CopyOut(data, []byte("request"))
	type ent struct {
		fd     int32
		events uint16
	}
	poll := func(es ...ent) (uint64, []uint16) {
		t.Helper()
		b := make([]byte, 8*len(es))
		for i, e := range es {
			binary.LittleEndian.PutUint32(b[8*i:], uint32(e.fd))
			binary.LittleEndian.PutUint16(b[8*i+4:], e.events)
			binary.LittleEndian.PutUint16(b[8*i+6:], 0xffff) // must be overwritten
		}
		p.Space.CopyOut(set, b)
		n := call(uabi.SYS_PPOLL, set, uint64(len(es)), tmo, 0, 8)
		p.Space.CopyIn(b, set)
		var rs []uint16
		for i := range es {
			rs = append(rs, binary.LittleEndian.Uint16(b[8*i+6:]))
		}
		return n, rs
	}
	both := []ent{{int32(rd), pollIn}, {int32(wr), pollOut}, {-1, pollIn}, {99, pollIn}}
	if n, rs := poll(both...); n != 2 || rs[0] != 0 || rs[1] != pollOut || rs[2] != 0 || rs[3] != pollNval {
		t.Errorf("empty pipe: %d %#x", n, rs)
	}
	if r := call(uabi.SYS_WRITE, wr, data, 7); r != 7 {
		t.Fatalf("write = %d", int64(r))
	}
	if n, rs := poll(both...); n != 3 || rs[0] != pollIn {
		t.Errorf("with data: %d %#x", n, rs)
	}
	if n, rs := poll(ent{int32(rd), pollOut}); n != 0 || rs[0] != 0 {
		t.Errorf("data, POLLOUT asked of the read end: %d %#x", n, rs)
	}
	if r := call(uabi.SYS_READ, rd, data, 64); r != 7 {
		t.Fatalf("read = %d", int64(r))
	}
	if n, rs := poll(ent{int32(rd), pollIn}); n != 0 || rs[0] != 0 {
		t.Errorf("drained: %d %#x", n, rs)
	}
	call(uabi.SYS_CLOSE, wr)
	if n, rs := poll(ent{int32(rd), pollIn}); n != 1 || rs[0] != pollHup {
		t.Errorf("writer closed: %d %#x", n, rs)
	}
	if r := call(uabi.SYS_PPOLL, set, 1, 0, 0, 8); r != uabi.Errno(uabi.EINVAL) {
		t.Errorf("NULL timeout (a wait) = %d, want EINVAL", int64(r))
	}
	p.Space.CopyOut(tmo+8, []byte{1})
	if r := call(uabi.SYS_PPOLL, set, 1, tmo, 0, 8); r != uabi.Errno(uabi.EINVAL) {
		t.Errorf("1 ns timeout = %d, want EINVAL", int64(r))
	}
	if r := call(uabi.SYS_PPOLL, set, maxFDs+1, tmo, 0, 8); r != uabi.Errno(uabi.EINVAL) {
		t.Errorf("too many = %d, want EINVAL", int64(r))
	}
}
