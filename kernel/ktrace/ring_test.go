package ktrace

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"copslab/sched"
)

// reset empties the ring and the thread table between tests.
func reset() {
	mu.Lock()
	defer mu.Unlock()
	Buf = Ring{}
	Table = ThreadTable{}
	threads = map[int]*thread{}
	recent = [64]*thread{}
	cur, preempted, clock = nil, false, nil
}

func TestLayout(t *testing.T) {
	var r Ring
	offs := []struct {
		name      string
		got, want uintptr
	}{
		{"Version", unsafe.Offsetof(r.Version), 4},
		{"Size", unsafe.Offsetof(r.Size), 6},
		{"EventSize", unsafe.Offsetof(r.EventSize), 8},
		{"Seq", unsafe.Offsetof(r.Seq), OffSeq},
		{"Tail", unsafe.Offsetof(r.Tail), OffTail},
		{"Overflow", unsafe.Offsetof(r.Overflow), OffOverflow},
		{"Clock", unsafe.Offsetof(r.Clock), OffClock},
		{"Events", unsafe.Offsetof(r.Events), OffEvents},
		{"sizeof", unsafe.Sizeof(r), RingBytes},
	}
	for _, o := range offs {
		if o.got != o.want {
			t.Errorf("%s at %d, layout says %d", o.name, o.got, o.want)
		}
	}
	if n := binary.Size(&r); n != RingBytes {
		t.Errorf("packed size %d, in memory %d: hidden padding", n, RingBytes)
	}
}

// bytesOf is the ring as a reader dumps it.
func bytesOf(r *Ring) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(r)), unsafe.Sizeof(*r))
}

// dump decodes the ring the way the workbench does over gdb.
func dump(t *testing.T) (Header, []sched.Event) {
	t.Helper()
	b := bytesOf(&Buf)
	h, err := DecodeHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	var evs []sched.Event
	for s := h.Tail; s != h.Seq; s++ {
		off := h.Slot(s)
		e, err := DecodeEvents(b[off:off+sched.EventSize], s)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e...)
	}
	return h, evs
}

type tr struct {
	co       uint32
	from, to sched.State
	cause    sched.Cause
	waker    uint32
}

func check(t *testing.T, evs []sched.Event, want []tr) {
	t.Helper()
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		e := evs[i]
		got := tr{e.Co, e.From, e.To, e.Cause, e.Waker}
		if got != w {
			t.Errorf("event %d: got %+v, want %+v", i, got, w)
		}
	}
}

func TestThreadLifecycle(t *testing.T) {
	reset()
	var now uint64
	SetClock(func() uint64 { now += 10; return now })
	Spawn(1, 1, 0, "p", 0)
	Place(1)
	Place(1) // still running: nothing
	Spawn(1, 2, -20, "p", 0)
	Block(1) // futex wait
	Place(2)
	Wake(1, sched.CauseWake) // woken by 2
	Interrupted()
	Place(1)                 // 2 preempted
	Wake(1, sched.CauseWake) // not blocked: nothing
	SetPrio(2, 19)
	Block(2)
	Wake(2, sched.CauseTimer)
	Exit(2)
	Exit(1)
	Exit(1) // unknown now: nothing
	h, evs := dump(t)
	N := sched.NoWaker
	check(t, evs, []tr{
		{1, sched.Created, sched.Ready, sched.CauseSpawn, N},
		{1, sched.Ready, sched.Running, sched.CauseFetch, N},
		{2, sched.Created, sched.Ready, sched.CauseSpawn, N},
		{1, sched.Running, sched.Blocked, sched.CauseBlock, N},
		{2, sched.Ready, sched.Running, sched.CauseFetch, N},
		{1, sched.Blocked, sched.Ready, sched.CauseWake, 2},
		{2, sched.Running, sched.Ready, sched.CausePreempt, N},
		{1, sched.Ready, sched.Running, sched.CauseFetch, N},
		{2, sched.Ready, sched.Ready, sched.CauseSetPrio, N},
		{2, sched.Ready, sched.Blocked, sched.CauseBlock, N},
		{2, sched.Blocked, sched.Ready, sched.CauseTimer, N},
		{2, sched.Ready, sched.Exited, sched.CauseExit, N},
		{1, sched.Running, sched.Exited, sched.CauseExit, N},
	})
	if !h.Clock || h.Overflow != 0 || h.Seq != uint64(len(evs)) {
		t.Errorf("header %+v", h)
	}
	for i, e := range evs {
		if e.Time != uint64(10*(i+1)) || e.Proc != 1 || e.Kind != sched.KindUser || e.Hart != 0 {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if evs[2].Prio != 0 || evs[8].Prio != 7 || evs[8].Arg != 0 || evs[0].Prio != 4 {
		t.Errorf("priorities: spawn %d, setprio %d (arg %d), first %d", evs[2].Prio, evs[8].Prio, evs[8].Arg, evs[0].Prio)
	}
}

func TestSpawnOverLiveThreadExitsIt(t *testing.T) {
	reset()
	Spawn(5, 5, 0, "p", 0)
	Spawn(5, 5, 0, "p", 0) // exec reuses the main thread id
	_, evs := dump(t)
	N := sched.NoWaker
	check(t, evs, []tr{
		{5, sched.Created, sched.Ready, sched.CauseSpawn, N},
		{5, sched.Ready, sched.Exited, sched.CauseExit, N},
		{5, sched.Created, sched.Ready, sched.CauseSpawn, N},
	})
}

func TestOverflowCountsAndKeepsNewest(t *testing.T) {
	reset()
	Spawn(1, 1, 0, "p", 0)
	const n = Size + 100
	for range n / 2 {
		Place(1)
		Block(1)
		Wake(1, sched.CauseTimer)
	}
	total := uint64(1 + 3*(n/2))
	h, evs := dump(t)
	if h.Seq != total || h.Overflow != total-Size || h.Tail != total-Size || len(evs) != Size {
		t.Fatalf("seq %d tail %d overflow %d events %d; want seq %d, %d dropped", h.Seq, h.Tail, h.Overflow, len(evs), total, total-Size)
	}
	if evs[len(evs)-1].Seq != total-1 || evs[0].Seq != total-Size {
		t.Errorf("ring holds seq %d..%d", evs[0].Seq, evs[len(evs)-1].Seq)
	}
	got := make([]sched.Event, 10)
	if k := Buf.Drain(got); k != 10 || got[0].Seq != total-Size {
		t.Errorf("drain %d, first seq %d", k, got[0].Seq)
	}
	if Buf.Tail != total-Size+10 {
		t.Errorf("tail %d after drain", Buf.Tail)
	}
}

func TestDecodeRejects(t *testing.T) {
	reset()
	Spawn(1, 1, 0, "p", 0)
	b := append([]byte(nil), bytesOf(&Buf)...)
	bad := func(name string, edit func([]byte)) {
		c := append([]byte(nil), b...)
		edit(c)
		if _, err := DecodeHeader(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	bad("magic", func(c []byte) { c[0] = 0 })
	bad("version", func(c []byte) { c[4] = 9 })
	bad("size", func(c []byte) { c[6] = 3 })
	bad("tail>seq", func(c []byte) { c[OffTail] = 5 })
	if _, err := DecodeHeader(b[:10]); err == nil {
		t.Error("short header accepted")
	}
	ev := append([]byte(nil), b[OffEvents:OffEvents+sched.EventSize]...)
	if _, err := DecodeEvents(ev, 1); err == nil {
		t.Error("wrong seq accepted")
	}
	ev[30] = byte(sched.NumCauses)
	if _, err := DecodeEvents(ev, 0); err == nil {
		t.Error("bad cause accepted")
	}
	if _, err := DecodeEvents(ev[:7], 0); err == nil {
		t.Error("partial record accepted")
	}
}
