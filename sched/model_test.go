package sched

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// The reference model: the scheduler's rules written the obvious way, with
// maps and slices. TestRandomOps drives it and a Region with the same long
// random operation sequences and compares every coroutine's state and
// every queue after every operation.

type mco struct {
	proc  uint16
	kind  Kind
	prio  uint8
	state State
}

type model struct {
	cos    map[uint32]*mco // live coroutines
	queues [MaxProcs][NumPrio][]uint32
	cur    [MaxProcs]uint32
	used   [MaxProcs]bool
	uintr  [MaxProcs]bool
}

func newModel(procs int) *model {
	m := &model{cos: map[uint32]*mco{}}
	for p := range m.cur {
		m.cur[p] = NoCo
	}
	for p := 0; p <= procs; p++ {
		m.used[p] = true
	}
	return m
}

func (m *model) live(p uint16) int {
	n := 0
	for _, c := range m.cos {
		if c.proc == p {
			n++
		}
	}
	return n
}

func (m *model) remove(id uint32) {
	c := m.cos[id]
	q := &m.queues[c.proc][c.prio]
	*q = slices.DeleteFunc(*q, func(x uint32) bool { return x == id })
}

func (m *model) prio(p uint16) uint8 {
	if !m.used[p] {
		return Idle
	}
	best := uint8(Idle)
	for q := uint8(0); q < NumPrio; q++ {
		if len(m.queues[p][q]) > 0 {
			best = q
			break
		}
	}
	if m.cur[p] != NoCo && m.cos[m.cur[p]].prio < best {
		best = m.cos[m.cur[p]].prio
	}
	if m.uintr[p] {
		best = 0
	}
	return best
}

// op is one random operation applied to both sides.
type op struct {
	kind  int
	proc  uint16
	id    uint32
	prio  uint8
	cause Cause
	knd   Kind
}

const numOpKinds = 11

func (o op) String() string {
	names := [numOpKinds]string{"spawn", "fetch", "yield", "block", "wake", "setprio", "exit", "suspend", "resume", "mark", "uintr"}
	return fmt.Sprintf("%s(proc=%d id=%#x prio=%d cause=%v kind=%d)", names[o.kind], o.proc, o.id, o.prio, o.cause, o.knd)
}

// apply runs o on the model; it returns the expected error and the expected
// event (From, To, Cause) when the operation succeeds and records one.
func (m *model) apply(o op) (Errno, *[3]uint8) {
	c := m.cos[o.id]
	tr := func(from, to State, cause Cause) *[3]uint8 { return &[3]uint8{uint8(from), uint8(to), uint8(cause)} }
	switch o.kind {
	case 0: // spawn
		switch {
		case o.proc >= MaxProcs || !m.used[o.proc]:
			return ErrBadProc, nil
		case o.prio >= NumPrio:
			return ErrBadPrio, nil
		case o.knd >= NumKinds || (o.knd != KindUser && o.proc != 0):
			return ErrBadKind, nil
		case m.live(o.proc) >= LocalCos:
			return ErrFull, nil
		}
		return OK, tr(Created, Ready, CauseSpawn) // the model adds it after the region returns the id
	case 1: // fetch
		switch {
		case o.proc >= MaxProcs || !m.used[o.proc]:
			return ErrBadProc, nil
		case m.cur[o.proc] != NoCo:
			return ErrBusy, nil
		}
		for q := 0; q < NumPrio; q++ {
			if len(m.queues[o.proc][q]) > 0 {
				id := m.queues[o.proc][q][0]
				m.queues[o.proc][q] = m.queues[o.proc][q][1:]
				m.cos[id].state = Running
				m.cur[o.proc] = id
				return OK, tr(Ready, Running, CauseFetch)
			}
		}
		return ErrEmpty, nil
	case 2, 3, 6: // yield, block, exit
		if c == nil {
			return ErrBadID, nil
		}
		if c.state != Running {
			return ErrBadState, nil
		}
		m.cur[c.proc] = NoCo
		switch o.kind {
		case 2:
			c.state = Ready
			m.queues[c.proc][c.prio] = append(m.queues[c.proc][c.prio], o.id)
			return OK, tr(Running, Ready, CauseYield)
		case 3:
			c.state = Blocked
			return OK, tr(Running, Blocked, CauseBlock)
		}
		delete(m.cos, o.id)
		return OK, tr(Running, Exited, CauseExit)
	case 4: // wake
		if o.cause != CauseWake && o.cause != CauseUintr && o.cause != CauseTimer {
			return ErrBadCause, nil
		}
		if c == nil {
			return ErrBadID, nil
		}
		if c.state != Blocked {
			return ErrBadState, nil
		}
		c.state = Ready
		m.queues[c.proc][c.prio] = append(m.queues[c.proc][c.prio], o.id)
		return OK, tr(Blocked, Ready, o.cause)
	case 5: // setprio
		if o.prio >= NumPrio {
			return ErrBadPrio, nil
		}
		if c == nil {
			return ErrBadID, nil
		}
		if c.state == Ready {
			m.remove(o.id)
			m.queues[c.proc][o.prio] = append(m.queues[c.proc][o.prio], o.id)
		}
		c.prio = o.prio
		return OK, tr(c.state, c.state, CauseSetPrio)
	case 7, 8: // suspend, resume
		if c == nil {
			return ErrBadID, nil
		}
		from, to, cause := Running, Suspended, CausePreempt
		if o.kind == 8 {
			from, to, cause = Suspended, Running, CauseResume
		}
		if c.state != from {
			return ErrBadState, nil
		}
		c.state = to
		return OK, tr(from, to, cause)
	case 9: // mark
		if o.cause != CauseIOSubmit && o.cause != CauseIODone && o.cause != CauseUintrSend && o.cause != CausePlace {
			return ErrBadCause, nil
		}
		if c == nil {
			return ErrBadID, nil
		}
		return OK, tr(c.state, c.state, o.cause)
	case 10: // uintr flag
		if o.proc >= MaxProcs || !m.used[o.proc] {
			return ErrBadProc, nil
		}
		m.uintr[o.proc] = o.prio&1 == 1
		return OK, nil
	}
	panic("bad op")
}

func (r *Region) applyOp(o op) (uint32, Errno) {
	c := Ctx{Now: uint64(o.id), Hart: 1}
	switch o.kind {
	case 0:
		return r.Spawn(c, o.proc, o.knd, o.prio, NoWaker)
	case 1:
		return r.Fetch(c, o.proc)
	case 2:
		return 0, r.Yield(c, o.id)
	case 3:
		return 0, r.Block(c, o.id, 5)
	case 4:
		return 0, r.Wake(c, o.id, o.cause, 3, 0)
	case 5:
		return 0, r.SetPrio(c, o.id, o.prio)
	case 6:
		return 0, r.Exit(c, o.id)
	case 7:
		return 0, r.Suspend(c, o.id)
	case 8:
		return 0, r.Resume(c, o.id)
	case 9:
		return 0, r.Mark(c, o.id, o.cause, NoWaker, 1)
	case 10:
		return 0, r.SetUintr(o.proc, o.prio&1 == 1)
	}
	panic("bad op")
}

// randomOp picks an operation, mostly on ids that exist (live, exited or
// stale) so that both legal and illegal transitions are common.
func randomOp(rng *rand.Rand, ids []uint32, procs int, spawnHeavy bool) op {
	o := op{kind: rng.Intn(numOpKinds), proc: uint16(rng.Intn(procs + 2)), prio: uint8(rng.Intn(NumPrio + 1)),
		cause: Cause(rng.Intn(int(NumCauses) + 1)), knd: Kind(rng.Intn(int(NumKinds) + 1))}
	if rng.Intn(50) == 0 {
		o.proc = uint16(rng.Intn(1 << 16))
	}
	if spawnHeavy && rng.Intn(2) == 0 {
		o.kind = 0
	}
	if o.kind == 0 && rng.Intn(3) > 0 {
		o.prio, o.knd = o.prio&7, o.knd%NumKinds
		o.proc = uint16(rng.Intn(procs + 1))
	}
	switch {
	case len(ids) > 0 && rng.Intn(10) > 0:
		o.id = ids[rng.Intn(len(ids))]
	default:
		o.id = rng.Uint32()
	}
	return o
}

// compare checks every process, queue and coroutine of r against m.
func compare(t *testing.T, r *Region, m *model, full bool) {
	t.Helper()
	for p := uint16(0); p < MaxProcs; p++ {
		if got, want := r.ProcPrio[p], m.prio(p); got != want {
			t.Fatalf("process %d: global priority %d, model %d", p, got, want)
		}
		if got := r.Current(p); got != m.cur[p] && m.used[p] {
			t.Fatalf("process %d: current %#x, model %#x", p, got, m.cur[p])
		}
	}
	for id, c := range m.cos {
		st, e := r.StateOf(id)
		cb := r.CB(id)
		if e != OK || st != c.state || cb.Prio != c.prio || cb.Proc != c.proc || cb.Kind != c.kind {
			t.Fatalf("coroutine %#x: region %v/%v prio %d proc %d, model %+v", id, st, e, cb.Prio, cb.Proc, *c)
		}
	}
	if r.LiveCos() != len(m.cos) {
		t.Fatalf("region has %d live coroutines, model %d", r.LiveCos(), len(m.cos))
	}
	if !full {
		return
	}
	s, err := r.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range s.Procs {
		for q := range ps.Queues {
			if !slices.Equal(ps.Queues[q], m.queues[ps.ID][q]) {
				t.Fatalf("process %d queue %d: region %x, model %x", ps.ID, q, ps.Queues[q], m.queues[ps.ID][q])
			}
		}
	}
}

// queuesEqual compares the queues by walking the region's links directly
// (cheaper than a full decode).
func queuesEqual(r *Region, m *model, procs int) error {
	for p := 0; p <= procs; p++ {
		for q := 0; q < NumPrio; q++ {
			var got []uint32
			l := &r.Locals[p]
			for s := l.QHead[q]; s != NoIdx && len(got) <= LocalCos; s = l.Cos[s].Next {
				got = append(got, l.Cos[s].ID)
			}
			if !slices.Equal(got, m.queues[p][q]) {
				return fmt.Errorf("process %d queue %d: region %x, model %x", p, q, got, m.queues[p][q])
			}
		}
	}
	return nil
}

// harness drives a Region and the model with the same operations.
type harness struct {
	t     *testing.T
	r     *Region
	m     *model
	ids   []uint32
	procs int
	n     int
}

func newHarness(t *testing.T, procs int) *harness {
	r := new(Region)
	r.Init()
	r.TryLock(testTag)
	for p := 1; p <= procs; p++ {
		r.AddProc(uint16(p))
	}
	return &harness{t: t, r: r, m: newModel(procs), procs: procs}
}

// step applies o to both sides and compares them; full adds a Decode.
func (h *harness) step(o op, full bool) {
	t, r, m := h.t, h.r, h.m
	t.Helper()
	i := h.n
	h.n++
	seq := r.Seq
	wantErr, wantEv := m.apply(o)
	id, gotErr := r.applyOp(o)
	if gotErr != wantErr {
		t.Fatalf("op %d %v: region %v, model %v", i, o, gotErr, wantErr)
	}
	if o.kind == 0 && gotErr == OK {
		m.cos[id] = &mco{proc: o.proc, kind: o.knd, prio: o.prio, state: Ready}
		m.queues[o.proc][o.prio] = append(m.queues[o.proc][o.prio], id)
		h.ids = append(h.ids, id)
		o.id = id
	}
	if o.kind == 1 && gotErr == OK {
		o.id = id
	}
	checkEvent(t, r, seq, wantEv, o, i)
	if err := queuesEqual(r, m, h.procs); err != nil {
		t.Fatalf("op %d %v: %v", i, o, err)
	}
	compare(t, r, m, full)
	if len(h.ids) > 4*LocalCos {
		h.ids = h.ids[len(h.ids)-LocalCos:]
	}
}

func runRandom(t *testing.T, seed int64, n, procs int, fullEvery int, spawnHeavy bool) {
	rng := rand.New(rand.NewSource(seed))
	h := newHarness(t, procs)
	for i := 0; i < n; i++ {
		h.step(randomOp(rng, h.ids, procs, spawnHeavy), i%fullEvery == 0)
	}
}

// checkEvent checks that a successful transition recorded exactly one
// matching event and a failed one none.
func checkEvent(t *testing.T, r *Region, seq uint64, want *[3]uint8, o op, i int) {
	t.Helper()
	if want == nil {
		if r.Seq != seq {
			t.Fatalf("op %d %v recorded %d events, want none", i, o, r.Seq-seq)
		}
		return
	}
	if r.Seq != seq+1 {
		t.Fatalf("op %d %v recorded %d events, want 1", i, o, r.Seq-seq)
	}
	e := r.Ring[seq&(RingSize-1)]
	if e.Seq != seq || uint8(e.From) != want[0] || uint8(e.To) != want[1] || uint8(e.Cause) != want[2] || e.Co != o.id {
		t.Fatalf("op %d %v: event %+v, want from/to/cause %v for %#x", i, o, e, *want, o.id)
	}
}

func TestRandomOps(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	for seed := int64(1); seed <= 4; seed++ {
		runRandom(t, seed, n, 3+int(seed), 97, false)
	}
}

// TestRandomOpsFull fills the Locals (many spawns, few exits) to exercise
// ErrFull and slot reuse, with a full decode after every operation.
func TestRandomOpsFull(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 1000
	}
	runRandom(t, 99, n, 2, 1, true)
}

// FuzzOps lets the fuzzer choose operation sequences (4 bytes per
// operation) and checks the region against the model after each one.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 3, 1, 1, 0, 0, 3, 0, 0, 0, 4, 0, 0, 4, 1, 1, 0, 0})
	f.Add([]byte{0, 2, 0, 7, 0, 2, 0, 7, 1, 2, 0, 0, 7, 0, 1, 0, 8, 0, 1, 0, 6, 0, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		h := newHarness(t, 3)
		for i := 0; i+3 < len(data) && i < 4*2000; i += 4 {
			o := op{kind: int(data[i]) % numOpKinds, proc: uint16(data[i+1] % 6),
				prio: data[i+3] % (NumPrio + 2), cause: Cause(data[i+3] % (uint8(NumCauses) + 1)),
				knd: Kind(data[i+3] % (uint8(NumKinds) + 1))}
			if o.kind == 0 {
				o.knd = Kind(data[i+2] % (uint8(NumKinds) + 1))
			}
			switch pick := int(data[i+2]); {
			case len(h.ids) > 0 && pick < 240:
				o.id = h.ids[len(h.ids)-1-pick%len(h.ids)]
			default:
				o.id = uint32(pick) * 0x01010101
			}
			h.step(o, false)
		}
		if _, err := h.r.Snapshot(); err != nil {
			t.Fatal(err)
		}
	})
}
