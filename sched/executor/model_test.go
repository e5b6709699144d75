package executor

import (
	"math/rand"
	"slices"
	"testing"

	"copslab/sched"
)

// The reference model: the executor's rules written the obvious way, with
// maps and slices instead of Locals, bitmaps, links and placement stamps.
// TestModel drives it and a real Executor with the same random operations
// (kernel coroutines spawned, woken and choosing Yield/Block/Exit; user
// processes changing priority, blocking and waking; user interrupts;
// decisions for traps, ticks and wake-ups) and compares every decision,
// the global priority array, the hart table and the kernel's ready queues
// after every step.

type mkco struct {
	prio  uint8
	state sched.State
}

type emodel struct {
	kcos   map[uint32]*mkco
	queues [sched.NumPrio][]uint32 // kernel ready queues, FIFO
	sched  uint32
	uprio  map[uint16]uint8 // user process → local priority (Idle: nothing)
	uintr  map[uint16]bool
	placed map[uint16]uint64 // last placement number; absent: never
	nplace uint64
	onHart uint16
	nprocs int
}

func (m *emodel) global(p uint16) uint8 {
	if m.uintr[p] {
		return 0
	}
	return m.uprio[p]
}

func (m *emodel) remove(id uint32) {
	q := &m.queues[m.kcos[id].prio]
	*q = slices.DeleteFunc(*q, func(x uint32) bool { return x == id })
}

func (m *emodel) push(id uint32) {
	c := m.kcos[id]
	m.queues[c.prio] = append(m.queues[c.prio], id)
}

// best returns the best process not on the hart: best global priority,
// then never placed, then placed longest ago, then lowest slot.
func (m *emodel) best() (uint16, uint8) {
	bp, bprio := sched.NoProc, uint8(sched.Idle)
	for p := uint16(1); p <= uint16(m.nprocs); p++ {
		pr := m.global(p)
		if pr == sched.Idle || p == m.onHart {
			continue
		}
		if pr < bprio || (pr == bprio && m.older(p, bp)) {
			bp, bprio = p, pr
		}
	}
	return bp, bprio
}

func (m *emodel) older(a, b uint16) bool {
	pa, oka := m.placed[a]
	pb, okb := m.placed[b]
	switch {
	case !oka:
		return okb // both never placed: the lower slot (b, seen first) stays
	case !okb:
		return false
	}
	return pa < pb
}

func (m *emodel) kernelWork() uint8 {
	for q := uint8(0); q < sched.NumPrio; q++ {
		for _, id := range m.queues[q] {
			if id != m.sched {
				return q
			}
		}
	}
	return sched.Idle
}

// decide applies one decision; action is what a kernel step will return.
func (m *emodel) decide(why Reason, action Action) Decision {
	cur := m.onHart
	curPrio := uint8(sched.Idle)
	if cur != sched.NoProc {
		curPrio = m.global(cur)
	}
	other, otherPrio := m.best()
	cand, prio := sched.NoProc, uint8(sched.Idle)
	switch {
	case otherPrio < curPrio || (why == Tick && otherPrio == curPrio && otherPrio != sched.Idle):
		cand, prio = other, otherPrio
	case curPrio != sched.Idle:
		cand, prio = cur, curPrio
	}
	kp := m.kernelWork()
	if cand == cur && cur != sched.NoProc && (kp > prio || (kp == prio && why != Tick)) {
		return Decision{Outcome: RunUser, Proc: cur, Prio: prio}
	}
	s := m.kcos[m.sched]
	if cand != sched.NoProc {
		if s.state == sched.Blocked {
			s.state = sched.Ready
			m.push(m.sched)
		}
		if s.prio != prio {
			m.remove(m.sched)
			s.prio = prio
			m.push(m.sched)
		}
	}
	for {
		var id uint32
		found := false
		for q := range m.queues {
			if len(m.queues[q]) > 0 {
				id, m.queues[q] = m.queues[q][0], m.queues[q][1:]
				found = true
				break
			}
		}
		switch {
		case !found:
			m.onHart = sched.NoProc
			return Decision{Outcome: Idle}
		case id == m.sched && cand == sched.NoProc:
			s.state = sched.Blocked
			continue
		case id == m.sched:
			m.onHart = cand
			m.nplace++
			m.placed[cand] = m.nplace
			m.push(id)
			return Decision{Outcome: RunUser, Proc: cand, Prio: prio}
		}
		m.onHart = sched.NoProc
		c := m.kcos[id]
		d := Decision{Outcome: RunKernel, Co: id, Prio: c.prio}
		switch action {
		case Yield:
			m.push(id)
		case Block:
			c.state = sched.Blocked
		default:
			delete(m.kcos, id)
		}
		return d
	}
}

func TestModel(t *testing.T) {
	total := map[Outcome]int{}
	for seed := int64(1); seed <= 6; seed++ {
		for o, n := range runModel(t, seed, 6000) {
			total[o] += n
		}
	}
	t.Logf("decisions: idle %d, user %d, kernel %d", total[Idle], total[RunUser], total[RunKernel])
	if total[Idle] < 10 || total[RunUser] < 1000 || total[RunKernel] < 500 {
		t.Fatalf("decisions %v: the runs did not exercise every case", total)
	}
}

func runModel(t *testing.T, seed int64, n int) map[Outcome]int {
	rng := rand.New(rand.NewSource(seed))
	const nprocs = 3
	r := newRig(t, nprocs)
	m := &emodel{kcos: map[uint32]*mkco{}, sched: r.x.Scheduler(), uprio: map[uint16]uint8{},
		uintr: map[uint16]bool{}, placed: map[uint16]uint64{}, onHart: sched.NoProc, nprocs: nprocs}
	m.kcos[m.sched] = &mkco{prio: sched.NumPrio - 1, state: sched.Ready}
	m.push(m.sched)
	ucos := map[uint16]uint32{}
	for p := uint16(1); p <= nprocs; p++ {
		ucos[p] = r.spawnUser(p, uint8(rng.Intn(sched.NumPrio)))
		r.user(p, func(l *sched.Local) { m.uprio[p] = l.Prio() })
	}
	var next Action
	step := func(uint64, uint32) Action { return next }
	outcomes := map[Outcome]int{}
	for i := 0; i < n; i++ {
		p := uint16(1 + rng.Intn(nprocs))
		switch k := rng.Intn(13); {
		case k <= 1 && len(m.kcos) < 20:
			prio := uint8(rng.Intn(sched.NumPrio))
			id, err := r.x.Spawn(sched.KindKernelSyscall, prio, step)
			if err != nil {
				t.Fatal(err)
			}
			m.kcos[id] = &mkco{prio: prio, state: sched.Ready}
			m.push(id)
		case k == 2:
			ids := make([]uint32, 0, len(m.kcos))
			for id := range m.kcos {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				if c := m.kcos[id]; c.state == sched.Blocked && id != m.sched {
					if err := r.x.Wake(id, sched.CauseWake, 0); err != nil {
						t.Fatal(err)
					}
					c.state = sched.Ready
					m.push(id)
					break
				}
			}
		case k == 3:
			prio := uint8(rng.Intn(sched.NumPrio))
			r.user(p, func(l *sched.Local) {
				l.SetPrio(sched.Ctx{Now: r.now}, ucos[p], prio)
				m.uprio[p] = l.Prio()
			})
		case k >= 4 && k <= 6: // the process blocks its coroutine (twice as often as it wakes it)
			r.user(p, func(l *sched.Local) {
				c := sched.Ctx{Now: r.now}
				switch st, _ := l.StateOf(ucos[p]); {
				case st == sched.Blocked && k == 4 && rng.Intn(3) == 0:
					l.Wake(c, ucos[p], sched.CauseWake, sched.NoWaker, 0)
				case st == sched.Ready && k > 4:
					l.Fetch(c)
					l.Block(c, ucos[p], 0)
				case st == sched.Running && k > 4:
					l.Block(c, ucos[p], 0)
				}
				m.uprio[p] = l.Prio()
			})
		case k == 7:
			on := rng.Intn(3) == 0
			r.x.SetUintr(p, on)
			m.uintr[p] = on
		default:
			why := Reason(rng.Intn(3))
			next = Action(rng.Intn(3))
			want := m.decide(why, next)
			got := r.x.Decide(0, all, why)
			outcomes[got.Outcome]++
			if got != want {
				t.Fatalf("seed %d op %d: decision %+v, model %+v", seed, i, got, want)
			}
			for q := uint16(1); q <= nprocs; q++ {
				if r.g.ProcPrio[q] != m.global(q) {
					t.Fatalf("seed %d op %d: process %d global priority %d, model %d", seed, i, q, r.g.ProcPrio[q], m.global(q))
				}
			}
		}
		compareModel(t, r, m, seed, i)
	}
	return outcomes
}

func compareModel(t *testing.T, r *rig, m *emodel, seed int64, i int) {
	t.Helper()
	// The global priorities are compared at decisions (when the executor
	// samples); here the hart table, the kernel queues and coroutines.
	if got := r.g.HartProc[0]; got != m.onHart {
		t.Fatalf("seed %d op %d: hart 0 runs %d, model %d", seed, i, got, m.onHart)
	}
	for q := 0; q < sched.NumPrio; q++ {
		var got []uint32
		for s := r.kl.QHead[q]; s != sched.NoIdx && len(got) <= sched.LocalCos; s = r.kl.Cos[s].Next {
			got = append(got, r.kl.Cos[s].ID)
		}
		if !slices.Equal(got, m.queues[q]) {
			t.Fatalf("seed %d op %d: kernel queue %d %x, model %x", seed, i, q, got, m.queues[q])
		}
	}
	for p := uint16(1); p <= uint16(m.nprocs); p++ {
		if r.g.Procs[p].Flags&sched.ProcUintr != 0 != m.uintr[p] {
			t.Fatalf("seed %d op %d: process %d uintr flag differs", seed, i, p)
		}
	}
	for id, c := range m.kcos {
		st, e := r.kl.StateOf(id)
		if e != sched.OK || st != c.state || r.kl.Cos[id&(sched.LocalCos-1)].Prio != c.prio {
			t.Fatalf("seed %d op %d: kernel coroutine %#x %v/%v, model %+v", seed, i, id, st, e, *c)
		}
	}
}
