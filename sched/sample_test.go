package sched

import (
	"encoding/binary"
	"math/rand"
	"strings"
	"testing"
)

// kernelWith returns a Global with processes 1..n in use (lock held) and
// their Locals, each with a few coroutines: process p has one Running
// coroutine at priority p%8 and ready ones at 5 and 7.
func kernelWith(t testing.TB, n int) (*Global, []Local) {
	g := new(Global)
	g.Init()
	g.TryLock(testTag)
	ls := make([]Local, n+1)
	for p := uint16(1); p <= uint16(n); p++ {
		if e := g.AddProc(p); e != OK {
			t.Fatal(e)
		}
		l := &ls[p]
		l.Init(p)
		l.TryLock(testTag)
		l.Spawn(Ctx{}, KindUser, uint8(p%NumPrio), NoWaker)
		l.Fetch(Ctx{})
		l.Spawn(Ctx{}, KindUser, 5, NoWaker)
		l.Spawn(Ctx{}, KindUser, 7, NoWaker)
		l.Unlock(testTag)
	}
	return g, ls
}

// decide is the kernel's per-decision pass over every process: collect,
// then sample. It returns the faults by process.
func decide(g *Global, ls []Local) map[uint16]Fault {
	faults := map[uint16]Fault{}
	for p := uint16(1); p < uint16(len(ls)); p++ {
		if g.Procs[p].Flags&ProcUsed == 0 {
			continue
		}
		if f, _ := g.Collect(p, &ls[p], ^uint64(0)); f.Code != FaultNone {
			faults[p] = f
			continue
		}
		if f, _ := g.Sample(p, &ls[p]); f.Code != FaultNone {
			faults[p] = f
		}
	}
	return faults
}

func TestSampleAndCollect(t *testing.T) {
	g, ls := kernelWith(t, 3)
	if f := decide(g, ls); len(f) != 0 {
		t.Fatal(f)
	}
	for p := uint16(1); p <= 3; p++ {
		if want := min(uint8(p%NumPrio), 5); g.ProcPrio[p] != want {
			t.Errorf("process %d: global priority %d, want %d", p, g.ProcPrio[p], want)
		}
	}
	if g.Seq != 3*4 || g.Pending() != 12 {
		t.Fatalf("collected %d events, want 12", g.Seq)
	}
	s := g.Ring[4]
	if s.Seq != 4 || s.Proc != 2 || s.Cause != CauseSpawn || ProcOf(s.Co) != 2 {
		t.Fatalf("event 4: %+v", s)
	}
	// A priority change in the Local is what the next decision sees.
	l := &ls[3]
	l.TryLock(testTag)
	must(t, l.SetPrio(Ctx{}, l.Current(), 0))
	l.Unlock(testTag)
	decide(g, ls)
	if g.ProcPrio[3] != 0 {
		t.Fatalf("after SetPrio: global priority %d", g.ProcPrio[3])
	}
}

// TestSampleTornReading: a Local whose lock is held (the process may be in
// the middle of an operation) is not judged; the last good priority stays.
func TestSampleTornReading(t *testing.T) {
	g, ls := kernelWith(t, 2)
	decide(g, ls)
	l := &ls[2]
	l.TryLock(testTag)
	l.Cur = 9999 // mid-operation garbage, under the lock
	if f := decide(g, ls); len(f) != 0 {
		t.Fatalf("a locked Local was judged: %v", f)
	}
	if g.ProcPrio[2] != 2 {
		t.Fatalf("global priority %d, want the last good 2", g.ProcPrio[2])
	}
	l.Unlock(testTag)
	f := decide(g, ls)[2]
	if f.Code != FaultLink || f.Off != 14 {
		t.Fatalf("fault %+v, want FaultLink at 14", f)
	}
	if msg := f.Message(2); !strings.Contains(msg, "process 2") || !strings.Contains(msg, "byte 14") {
		t.Fatalf("message %q", msg)
	}
}

// TestSampleFaults: each corruption of a quiescent Local is reported with
// its code and offset.
func TestSampleFaults(t *testing.T) {
	cases := []struct {
		name string
		mut  func(l *Local)
		code FaultCode
		off  uint16
	}{
		{"magic", func(l *Local) { l.Magic = 0 }, FaultHeader, 0},
		{"owner", func(l *Local) { l.Proc = 3 }, FaultHeader, 6},
		{"head out of range", func(l *Local) { l.QHead[5] = LocalCos }, FaultLink, OffQHead + 10},
		{"head not ready", func(l *Local) { l.Cos[l.QHead[5]].State = Blocked }, FaultQueue, OffCos + 1*CBSize},
		{"head wrong prio", func(l *Local) { l.Bitmap = 1 << 4; l.QHead[4] = 1 }, FaultQueue, OffCos + 1*CBSize},
		{"head foreign", func(l *Local) { l.Cos[1].ID ^= 1 << slotBits }, FaultForeign, OffCos + 1*CBSize},
		{"current out of range", func(l *Local) { l.Cur = 300 }, FaultLink, 14},
		{"current not running", func(l *Local) { l.Cos[0].State = Ready }, FaultCurrent, OffCos},
		{"current bad prio", func(l *Local) { l.Cos[0].Prio = 200 }, FaultCurrent, OffCos},
		{"seq backwards", func(l *Local) { l.Seq = 0 }, FaultSeq, OffLSeq},
		{"bad event", func(l *Local) { l.Seq++; l.Ring[4] = Event{Seq: 4, Cause: 99, Proc: 2} }, FaultEvent, OffLRing + 4*EventSize + 28},
		{"foreign event", func(l *Local) { l.Seq++; l.Ring[4] = Event{Seq: 4, Proc: 1, Co: 1 << slotBits} }, FaultForeign, OffLRing + 4*EventSize + 16},
		{"kernel kind event", func(l *Local) {
			l.Seq++
			l.Ring[4] = Event{Seq: 4, Proc: 2, Co: 2 << slotBits, Kind: KindKernelSyscall}
		}, FaultForeign, OffLRing + 4*EventSize + 16},
		{"garbled event seq", func(l *Local) { l.Seq++; l.Ring[4] = Event{Seq: 77, Proc: 2} }, FaultEvent, OffLRing + 4*EventSize + 8},
		{"switch record states", func(l *Local) {
			l.Seq++
			l.Ring[4] = switchRecord(4, 2<<slotBits|1, 0)
			l.Ring[4].From, l.Ring[4].To = Ready, Running
		}, FaultEvent, OffLRing + 4*EventSize + 28},
		{"switch record fetched kind", func(l *Local) { l.Seq++; l.Ring[4] = switchRecord(4, 2<<slotBits|1, 7) }, FaultEvent, OffLRing + 4*EventSize + 32},
		{"switch record fetched prio", func(l *Local) {
			l.Seq++
			l.Ring[4] = switchRecord(4, 2<<slotBits|1, uint64(KindUser)|NumPrio<<8)
		}, FaultEvent, OffLRing + 4*EventSize + 32},
		{"switch record foreign fetch", func(l *Local) { l.Seq++; l.Ring[4] = switchRecord(4, 1<<slotBits|1, uint64(KindUser)) }, FaultForeign, OffLRing + 4*EventSize + 20},
		{"switch record kernel fetch", func(l *Local) {
			l.Seq++
			l.Ring[4] = switchRecord(4, 2<<slotBits|1, uint64(KindKernelSyscall))
		}, FaultForeign, OffLRing + 4*EventSize + 20},
	}
	for _, tc := range cases {
		g, ls := kernelWith(t, 3)
		if f := decide(g, ls); len(f) != 0 {
			t.Fatal(f)
		}
		before1, before3, seq := g.ProcPrio[1], g.ProcPrio[3], g.Seq
		tc.mut(&ls[2])
		f := decide(g, ls)
		if len(f) != 1 || f[2].Code != tc.code || f[2].Off != tc.off {
			t.Errorf("%s: faults %+v, want process 2: code %d at %d", tc.name, f, tc.code, tc.off)
		}
		if g.ProcPrio[1] != before1 || g.ProcPrio[3] != before3 || g.ProcPrio[2] != 2 || g.Seq != seq {
			t.Errorf("%s: other state changed: prio %v seq %d→%d", tc.name, g.ProcPrio[:4], seq, g.Seq)
		}
	}
}

// switchRecord is a well-formed switch record of process 2 (yield of
// its slot 0 at priority 2) numbered seq, fetching next with arg.
func switchRecord(seq uint64, next uint32, arg uint64) Event {
	return Event{Seq: seq, Proc: 2, Co: 2 << slotBits, Waker: next, Prio: 2, Kind: KindUser,
		From: Running, To: Ready, Cause: CauseSwitch, Arg: arg}
}

// TestCollectCountsLosses: events a process overwrote before the kernel
// looked are counted, and collection goes on with the ones still there.
func TestCollectCountsLosses(t *testing.T) {
	g, ls := kernelWith(t, 1)
	decide(g, ls)
	l := &ls[1]
	l.TryLock(testTag)
	for i := 0; i < LocalRing+10; i++ {
		id, _ := l.Fetch(Ctx{})
		if id == NoCo {
			id = l.Current()
		}
		must(t, l.Yield(Ctx{}, id))
	}
	l.Unlock(testTag)
	seq := g.Seq
	decide(g, ls)
	produced := l.Seq - 4
	if g.Lost+(g.Seq-seq) != produced || g.Lost == 0 || g.Procs[1].Lost != g.Lost {
		t.Fatalf("produced %d, collected %d, lost %d (process %d)", produced, g.Seq-seq, g.Lost, g.Procs[1].Lost)
	}
	if g.Seq-seq != LocalRing {
		t.Fatalf("collected %d, want the %d still in the ring", g.Seq-seq, LocalRing)
	}
}

// TestScribbleHurtsOnlyItself writes random bytes over random parts of
// process 2's Local, many times, and runs the kernel's decision pass: it
// never panics, processes 1 and 3 keep their priorities and events, and
// process 2 either reads as valid (a priority in range) or is reported.
func TestScribbleHurtsOnlyItself(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	faulted := 0
	for i := 0; i < 3000; i++ {
		g, ls := kernelWith(t, 3)
		decide(g, ls)
		want1, want3 := g.ProcPrio[1], g.ProcPrio[3]
		b := ls[2].Bytes()
		for n := rng.Intn(40) + 1; n > 0; n-- {
			off := rng.Intn(localUsed)
			if rng.Intn(2) == 0 {
				off = rng.Intn(OffCos + 4*CBSize) // the header, queues and first blocks
			}
			b[off] = byte(rng.Intn(256))
		}
		f := decide(g, ls)
		if _, ok := f[2]; ok {
			faulted++
		} else if p := g.ProcPrio[2]; p != Idle && p >= NumPrio {
			t.Fatalf("round %d: accepted global priority %d", i, p)
		}
		if f[1].Code != FaultNone || f[3].Code != FaultNone || g.ProcPrio[1] != want1 || g.ProcPrio[3] != want3 {
			t.Fatalf("round %d: others affected: %v prio %v", i, f, g.ProcPrio[:4])
		}
		for q := g.Tail; q != g.Seq; q++ {
			e := &g.Ring[q&(RingSize-1)]
			if e.Proc != ProcOf(e.Co) || e.From >= NumStates || e.Cause >= NumCauses {
				t.Fatalf("round %d: collected a bad event %+v", i, *e)
			}
		}
	}
	if faulted < 300 {
		t.Fatalf("only %d of 3000 scribbles were reported", faulted)
	}
	t.Logf("%d of 3000 scribbles reported", faulted)
}

// FuzzSample lets the fuzzer patch a Local ((offset, byte) pairs) and runs
// the kernel's decision pass on it: no panic, no priority out of range,
// no foreign event in the kernel's trace.
func FuzzSample(f *testing.F) {
	f.Add([]byte{14, 0, 0xff})
	f.Add([]byte{64, 0, 9, 32, 0, 1})
	f.Fuzz(func(t *testing.T, patch []byte) {
		g, ls := kernelWith(t, 2)
		decide(g, ls)
		b := ls[2].Bytes()
		for i := 0; i+2 < len(patch); i += 3 {
			b[int(binary.LittleEndian.Uint16(patch[i:]))%localUsed] = patch[i+2]
		}
		faults := decide(g, ls)
		if _, bad := faults[2]; !bad {
			if p := g.ProcPrio[2]; p != Idle && p >= NumPrio {
				t.Fatalf("accepted global priority %d", p)
			}
		}
		if len(faults) > 1 || g.ProcPrio[1] != 1 {
			t.Fatalf("process 1 affected: %v", faults)
		}
		for q := g.Tail; q != g.Seq; q++ {
			if e := &g.Ring[q&(RingSize-1)]; e.Proc != ProcOf(e.Co) {
				t.Fatalf("foreign event collected: %+v", *e)
			}
		}
	})
}

// TestCollectClampsTime: a process's timestamps are its own business, but
// the kernel's trace stays in order and never runs ahead of the kernel's
// clock: each collected time is clamped into [Global.Clock, now].
func TestCollectClampsTime(t *testing.T) {
	g, ls := kernelWith(t, 2)
	for p := uint16(1); p <= 2; p++ {
		g.Collect(p, &ls[p], 100)
	}
	l := &ls[2]
	l.TryLock(testTag)
	l.Spawn(Ctx{Now: 1 << 60}, KindUser, 3, NoWaker) // from the future
	l.Spawn(Ctx{Now: 5}, KindUser, 3, NoWaker)       // from the past
	l.Unlock(testTag)
	seq := g.Seq
	if f, _ := g.Collect(2, l, 1000); f.Code != FaultNone {
		t.Fatal(f)
	}
	if a, b := g.Ring[seq].Time, g.Ring[seq+1].Time; a != 1000 || b != 1000 || g.Clock != 1000 {
		t.Fatalf("times %d, %d, clock %d; want 1000, 1000, 1000", a, b, g.Clock)
	}
	for i := uint64(1); i < g.Seq; i++ {
		if g.Ring[i].Time < g.Ring[i-1].Time {
			t.Fatalf("trace goes back in time at %d", i)
		}
	}
}

// TestCollectWaitsForQuiescence: a malformed event seen while the process
// holds its lock (it may be writing that slot) stops the collection
// without a fault; the same event in a quiescent Local is a fault.
func TestCollectWaitsForQuiescence(t *testing.T) {
	g, ls := kernelWith(t, 2)
	decide(g, ls)
	l := &ls[2]
	l.TryLock(testTag)
	l.Seq++
	l.Ring[4] = Event{Seq: 77, Proc: 2}
	next := g.Procs[2].Next
	if f, _ := g.Collect(2, l, 1); f.Code != FaultNone || g.Procs[2].Next != next {
		t.Fatalf("judged a locked Local: %+v, next %d→%d", f, next, g.Procs[2].Next)
	}
	l.Unlock(testTag)
	if f, _ := g.Collect(2, l, 1); f.Code != FaultEvent || f.Off != OffLRing+4*EventSize+8 {
		t.Fatalf("quiescent: %+v", f)
	}
}
