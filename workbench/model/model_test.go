package model_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
)

// ev builds an event for coroutine co of process 1.
func ev(t uint64, co uint32, prio uint8, from, to sched.State, c sched.Cause, arg uint64) sched.Event {
	return sched.Event{Time: t, Co: co, Proc: 1, Prio: prio, From: from, To: to, Cause: c, Waker: sched.NoWaker, Kind: sched.KindUser, Arg: arg}
}

const (
	cr, rd, rn, bl, su, ex = sched.Created, sched.Ready, sched.Running, sched.Blocked, sched.Suspended, sched.Exited
)

func TestQueuesFollowSchedulerRules(t *testing.T) {
	m := model.New()
	m.Add(
		ev(10, 1, 3, cr, rd, sched.CauseSpawn, 0),
		ev(11, 2, 1, cr, rd, sched.CauseSpawn, 0),
		ev(12, 3, 3, cr, rd, sched.CauseSpawn, 0),
	)
	p := m.Now().Proc(1)
	if !reflect.DeepEqual(p.Queues[3], []uint32{1, 3}) || !reflect.DeepEqual(p.Queues[1], []uint32{2}) {
		t.Fatalf("queues = %v", p.Queues)
	}
	if p.Bitmap() != 1<<1|1<<3 || p.Prio != 1 {
		t.Fatalf("bitmap %08b prio %d", p.Bitmap(), p.Prio)
	}
	m.Add(ev(20, 2, 1, rd, rn, sched.CauseFetch, 0))
	p = m.Now().Proc(1)
	if p.Current != 2 || len(p.Queues[1]) != 0 || p.Prio != 1 || m.Now().Harts[0].Co != 2 {
		t.Fatalf("after fetch: cur %d q %v prio %d harts %v", p.Current, p.Queues, p.Prio, m.Now().Harts)
	}
	// SetPrio of a ready coroutine moves it to the tail of its new queue.
	m.Add(ev(25, 1, 5, rd, rd, sched.CauseSetPrio, 3))
	m.Add(ev(30, 2, 1, rn, ex, sched.CauseExit, 0))
	p = m.Now().Proc(1)
	if !reflect.DeepEqual(p.Queues[3], []uint32{3}) || !reflect.DeepEqual(p.Queues[5], []uint32{1}) || p.Prio != 3 || p.Current != sched.NoCo {
		t.Fatalf("after setprio+exit: q %v prio %d cur %d", p.Queues, p.Prio, p.Current)
	}
	if m.Now().Harts[0].Co != sched.NoCo {
		t.Fatalf("hart still busy: %v", m.Now().Harts)
	}
	n := m.Now().StateCounts()
	if n[rd] != 2 || n[ex] != 1 {
		t.Fatalf("counts %v", n)
	}
}

func TestUintrChainStages(t *testing.T) {
	m := model.New()
	m.Add(
		ev(0, 1, 0, cr, rd, sched.CauseSpawn, 0),
		ev(1, 1, 0, rd, rn, sched.CauseFetch, 0),
		ev(2, 1, 0, rn, rn, sched.CauseIOSubmit, 7),
		ev(2, 1, 0, rn, bl, sched.CauseBlock, 7),
		ev(10, 1, 0, bl, bl, sched.CauseIODone, 7),
		ev(13, 1, 0, bl, bl, sched.CauseUintrSend, 7),
		ev(13, 1, 0, rn, rn, sched.CauseIOSubmit, 7), // the same submit marked again, reaching the trace later: the first stamp stays
	)
	if p := m.Now().Proc(1); !p.UintrPending || p.Prio != 0 {
		t.Fatalf("pending uintr must boost: %+v", p)
	}
	m.Add(
		ev(14, 1, 0, bl, rd, sched.CauseUintr, 7),
		ev(20, 1, 0, rd, rn, sched.CauseFetch, 0),
	)
	ch := m.Chains()
	if len(ch) != 1 || !ch[0].Complete() {
		t.Fatalf("chains %+v", ch)
	}
	lat, ok := ch[0].Stages()
	if lat != [4]uint64{8, 3, 1, 6} || ok != [4]bool{true, true, true, true} || ch[0].Total() != 18 {
		t.Fatalf("stages %v %v total %d", lat, ok, ch[0].Total())
	}
	fl := m.Flows()
	if len(fl) != 1 || fl[0].FromT != 10 || fl[0].T != 14 || fl[0].To != 1 || fl[0].Cause != sched.CauseUintr {
		t.Fatalf("flows %+v", fl)
	}
	if m.Now().Proc(1).UintrPending {
		t.Fatal("pending not cleared by the handler's wake")
	}
}

func TestLanes(t *testing.T) {
	m := model.New()
	m.Add(
		ev(0, 1, 0, cr, rd, sched.CauseSpawn, 0),
		ev(5, 1, 0, rd, rn, sched.CauseFetch, 0),
		ev(9, 1, 0, rn, ex, sched.CauseExit, 0),
	)
	l := m.Lanes()[0]
	want := []model.Mark{{0, rd}, {5, rn}, {9, ex}} // same-instant marks merge
	if !slices.Equal(l.Marks, want) {
		t.Fatalf("marks %v", l.Marks)
	}
	if i := l.Index(7); l.Marks[i].S != rn {
		t.Fatalf("state at 7: %v", l.Marks[i].S)
	}
	h := m.HartLanes()
	if len(h) != 1 || !slices.Equal(h[0].Marks, []model.HartMark{{5, 1}, {9, sched.NoCo}}) {
		t.Fatalf("hart lanes %+v", h)
	}
}

// TestAtMatchesReplay checks the keyframe path of At against applying
// every event from the start, at many instants of a long synthetic run.
func TestAtMatchesReplay(t *testing.T) {
	evs := modeltest.Gen{Procs: 4, Cos: 6, Harts: 2, Seed: 3}.Events(3 * model.KeyEvery)
	m := model.New()
	m.Add(evs...)
	if m.Keyframes() < 3 {
		t.Fatalf("only %d keyframes", m.Keyframes())
	}
	for i := 0; i < len(evs); i += 97 {
		tm := evs[i].Time
		want := &model.Snapshot{}
		for j := 0; j < len(evs) && evs[j].Time <= tm; j++ {
			want.Apply(&evs[j])
		}
		got := m.At(tm)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("At(%d) differs from replay:\n got %+v\nwant %+v", tm, got, want)
		}
	}
}

// TestSyncIsKeyframe checks that a target snapshot replaces the live state
// and names lanes, and that At before it still replays from events.
func TestSyncIsKeyframe(t *testing.T) {
	m := model.New()
	m.Add(ev(0, 1, 2, cr, rd, sched.CauseSpawn, 0))
	snap := &model.Snapshot{Time: 0,
		Procs: []model.ProcState{{ID: 1, Name: "app", Current: sched.NoCo, Prio: 2}},
		Cos:   []model.CoState{{ID: 1, Proc: 1, Name: "reader", Prio: 2, State: rd}},
	}
	snap.Procs[0].Queues[2] = []uint32{1}
	m.Sync(snap)
	m.Add(ev(4, 1, 2, rd, rn, sched.CauseFetch, 0))
	if m.Lanes()[0].Name != "reader" || m.Now().Co(1).Name != "reader" || m.Now().Proc(1).Name != "app" {
		t.Fatalf("names not learned: %+v %+v", m.Lanes()[0], m.Now())
	}
	at := m.At(1)
	if c := at.Co(1); c.State != rd || c.Name != "reader" {
		t.Fatalf("At(1) = %+v", at.Co(1))
	}
	if c := m.At(4).Co(1); c.State != rn || c.Switches != 1 {
		t.Fatalf("At(4) = %+v", c)
	}
}

func TestLostEvents(t *testing.T) {
	m := model.New()
	a := ev(0, 1, 0, cr, rd, sched.CauseSpawn, 0)
	b := ev(1, 1, 0, rd, rn, sched.CauseFetch, 0)
	a.Seq, b.Seq = 10, 14
	m.Add(a, b)
	if m.Lost() != 3 {
		t.Fatalf("lost %d, want 3", m.Lost())
	}
}

// TestUintrPendingUntilEveryRequestWoken checks the scheduler's rule for
// the pending flag: set at each uintr-send, cleared only when the handler
// has woken every raised request (by request id), also through At and
// across a Sync (targets do not report which requests are raised).
func TestUintrPendingUntilEveryRequestWoken(t *testing.T) {
	m := model.New()
	m.Add(
		ev(0, 1, 3, cr, rd, sched.CauseSpawn, 0),
		ev(0, 2, 3, cr, rd, sched.CauseSpawn, 0),
		ev(1, 1, 3, rd, rn, sched.CauseFetch, 0),
		ev(1, 1, 3, rn, bl, sched.CauseBlock, 7),
		ev(1, 2, 3, rd, rn, sched.CauseFetch, 0),
		ev(1, 2, 3, rn, bl, sched.CauseBlock, 8),
		ev(5, 1, 3, bl, bl, sched.CauseUintrSend, 7),
		ev(6, 2, 3, bl, bl, sched.CauseUintrSend, 8),
	)
	if p := m.Now().Proc(1); !p.UintrPending || p.Prio != 0 {
		t.Fatalf("two requests raised: %+v", p)
	}
	// A target snapshot (here through JSON, as in a recording) says
	// pending but not which requests are raised.
	b, err := json.Marshal(m.Now())
	if err != nil {
		t.Fatal(err)
	}
	var snap model.Snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		t.Fatal(err)
	}
	m.Sync(&snap)
	if p := m.Now().Proc(1); !p.UintrPending || p.Prio != 0 {
		t.Fatalf("after Sync: %+v", p)
	}
	m.Add(ev(8, 1, 3, bl, rd, sched.CauseUintr, 7))
	if p := m.Now().Proc(1); !p.UintrPending || p.Prio != 0 {
		t.Fatalf("request 8 is still raised, the boost must stay: %+v", p)
	}
	m.Add(ev(9, 1, 3, rd, rn, sched.CauseFetch, 0), ev(9, 1, 3, rn, bl, sched.CauseBlock, 9))
	if p := m.Now().Proc(1); !p.UintrPending || p.Prio != 0 {
		t.Fatalf("after a fetch: %+v", p)
	}
	m.Add(ev(10, 2, 3, bl, rd, sched.CauseUintr, 8))
	if p := m.Now().Proc(1); p.UintrPending || p.Prio != 3 {
		t.Fatalf("every request woken, the boost must end: %+v", p)
	}
	for _, c := range []struct {
		t       uint64
		pending bool
		prio    uint8
	}{{4, false, sched.Idle}, {5, true, 0}, {6, true, 0}, {8, true, 0}, {9, true, 0}, {10, false, 3}} {
		if p := m.At(c.t).Proc(1); p.UintrPending != c.pending || p.Prio != c.prio {
			t.Errorf("At(%d): pending %v prio %d, want %v %d", c.t, p.UintrPending, p.Prio, c.pending, c.prio)
		}
	}
}
