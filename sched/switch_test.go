package sched

import (
	"bytes"
	"math/rand"
	"reflect"
	"testing"
)

// TestSwitchIsYieldFetch: on the same random histories, Switch gives the
// same result and leaves the same bytes (queues, states, control blocks)
// as Yield followed by Fetch, and the kernel collects the same events
// from both (the switch record split into the same yield and fetch, with
// the same global sequence numbers); on an error (not locked, stale or
// foreign id, a coroutine that is not Running) it returns Yield's error
// and changes nothing.
func TestSwitchIsYieldFetch(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		var a, b Local
		a.Init(3)
		b.Init(3)
		tag := LockTag(0, true)
		a.TryLock(tag)
		b.TryLock(tag)
		var ga, gb Global
		for _, g := range []*Global{&ga, &gb} {
			g.Init()
			g.TryLock(testTag)
			g.AddProc(3)
		}
		var ids []uint32
		switches := 0
		for i := range 3000 {
			c := Ctx{Now: uint64(i)}
			switch op := rnd.Intn(6); op {
			case 0: // spawn on both
				p := uint8(rnd.Intn(NumPrio))
				ia, ea := a.Spawn(c, KindUser, p, NoCo)
				ib, eb := b.Spawn(c, KindUser, p, NoCo)
				if ia != ib || ea != eb {
					t.Fatalf("seed %d op %d: spawn differs", seed, i)
				}
				if ea == OK {
					ids = append(ids, ia)
				}
			case 1: // fetch on both
				a.Fetch(c)
				b.Fetch(c)
			case 2: // block or exit the current one on both
				if cur := a.Current(); cur != NoCo {
					if rnd.Intn(2) == 0 {
						a.Block(c, cur, 0)
						b.Block(c, cur, 0)
					} else {
						a.Exit(c, cur)
						b.Exit(c, cur)
					}
				}
			case 3: // wake a random one on both
				if len(ids) > 0 {
					id := ids[rnd.Intn(len(ids))]
					a.Wake(c, id, CauseWake, NoCo, 0)
					b.Wake(c, id, CauseWake, NoCo, 0)
				}
			default: // Switch on a, Yield+Fetch on b, with a good or a bad id
				id := a.Current()
				if id == NoCo || rnd.Intn(4) == 0 {
					id = rnd.Uint32()
					if len(ids) > 0 && rnd.Intn(2) == 0 {
						id = ids[rnd.Intn(len(ids))]
					}
				}
				before := append([]byte(nil), a.Bytes()...)
				got, ea := a.Switch(c, id)
				want, eb := NoCo, b.Yield(c, id)
				if eb == OK {
					want, eb = b.Fetch(c)
					switches++
				}
				if got != want || ea != eb {
					t.Fatalf("seed %d op %d: Switch(%#x) = %#x, %v; Yield+Fetch = %#x, %v", seed, i, id, got, ea, want, eb)
				}
				if ea != OK && !bytes.Equal(before, a.Bytes()) {
					t.Fatalf("seed %d op %d: failed Switch (%v) changed the Local", seed, i, ea)
				}
			}
			if !bytes.Equal(a.Bytes()[:OffLSeq], b.Bytes()[:OffLSeq]) || !bytes.Equal(a.Bytes()[OffQHead:OffLRing], b.Bytes()[OffQHead:OffLRing]) {
				t.Fatalf("seed %d op %d: the Locals differ", seed, i)
			}
			ea, eb := collectAll(t, &ga, &a), collectAll(t, &gb, &b)
			if !reflect.DeepEqual(ea, eb) {
				t.Fatalf("seed %d op %d: collected events differ:\nSwitch     %+v\nYield+Fetch %+v", seed, i, ea, eb)
			}
		}
		if switches < 100 {
			t.Errorf("seed %d: only %d successful switches", seed, switches)
		}
	}
	var l Local
	l.Init(3)
	if _, e := l.Switch(Ctx{}, 1); e != ErrNotLocked {
		t.Errorf("Switch without the lock: %v", e)
	}
}

// collectAll is the kernel's Collect of process 3's new records from l,
// then a Drain of every event it put into g's ring.
func collectAll(t *testing.T, g *Global, l *Local) []Event {
	t.Helper()
	if f, e := g.Collect(3, l, ^uint64(0)); f.Code != FaultNone || e != OK {
		t.Fatalf("collect: %v %v", f.Message(3), e)
	}
	evs := make([]Event, g.Pending())
	n, _ := g.Drain(evs)
	return evs[:n]
}

// TestSwitchRecord: a Switch writes one record into the Local's ring;
// the kernel's Collect and a debugger's DecodeLocal both turn it into
// the yield and the fetch it stands for, and records the process
// overwrote before the kernel looked are counted as lost.
func TestSwitchRecord(t *testing.T) {
	var g Global
	g.Init()
	g.TryLock(testTag)
	g.AddProc(3)
	var l Local
	l.Init(3)
	l.TryLock(testTag)
	a, _ := l.Spawn(Ctx{}, KindUser, 4, NoWaker)
	b, _ := l.Spawn(Ctx{}, KindUser, 4, NoWaker)
	l.Fetch(Ctx{})
	collectAll(t, &g, &l)
	seq := l.Seq
	c := Ctx{Now: 1234, Hart: 5}
	if id, e := l.Switch(c, a); id != b || e != OK {
		t.Fatalf("switch: %#x %v", id, e)
	}
	if l.Seq != seq+1 || l.Ring[seq%LocalRing].Cause != CauseSwitch {
		t.Fatalf("switch wrote records %d..%d, last %+v; want one switch record", seq, l.Seq, l.Ring[seq%LocalRing])
	}
	yield := Event{Time: 1234, Co: a, Waker: NoWaker, Proc: 3, Hart: 5, Prio: 4, From: Running, To: Ready, Cause: CauseYield, Kind: KindUser}
	fetch := Event{Time: 1234, Co: b, Waker: NoWaker, Proc: 3, Hart: 5, Prio: 4, From: Ready, To: Running, Cause: CauseFetch, Kind: KindUser}
	ls, err := DecodeLocal(l.Bytes(), 3)
	if err != nil {
		t.Fatal(err)
	}
	y, f := ls.Events[len(ls.Events)-2], ls.Events[len(ls.Events)-1]
	yield.Seq, fetch.Seq = seq, seq
	if y != yield || f != fetch {
		t.Fatalf("DecodeLocal:\n got %+v\n     %+v\nwant %+v\n     %+v", y, f, yield, fetch)
	}
	gseq := g.Seq
	evs := collectAll(t, &g, &l)
	yield.Seq, fetch.Seq = gseq, gseq+1
	if len(evs) != 2 || evs[0] != yield || evs[1] != fetch {
		t.Fatalf("Collect: %+v, want %+v %+v", evs, yield, fetch)
	}
	// Overwritten records are lost records.
	cur := b
	for range LocalRing + 7 {
		cur, _ = l.Switch(c, cur)
	}
	gseq = g.Seq
	evs = collectAll(t, &g, &l)
	if g.Procs[3].Lost != 7 || len(evs) != 2*LocalRing || g.Seq != gseq+2*LocalRing {
		t.Fatalf("after %d switches: lost %d records, collected %d events", LocalRing+7, g.Procs[3].Lost, len(evs))
	}
	// Not a switch record: nothing to split.
	if _, _, ok := SplitSwitch(&yield); ok {
		t.Fatal("SplitSwitch split a yield")
	}
}
