package sandbox

import "sort"

// devices holds everything that happens at a future tick: I/O completions,
// the kernel's end of their completion work (sends), sleep expiries and
// delayed spawns. Each list stays sorted by tick and,
// within a tick, by insertion order, which keeps the run deterministic.
type devices struct {
	io      []pending
	sends   []pending // completed I/O whose kernel work ends at .at (uintr-send or thread wake)
	sleeps  []pending
	starts  []startReq
	nextReq uint64
}

type pending struct {
	at  uint64
	req uint64 // I/O request id (0 for sleeps)
	co  *coro
	kco uint32 // kernel-syscall coroutine serving the request, or NoCo
}

type startReq struct {
	at    uint64
	ps    *ProcSpec
	p     *proc // the process (coroutines mode); nil: new threads
	spec  *CoSpec
	waker uint32
}

func insertPending(l []pending, x pending) []pending {
	i := sort.Search(len(l), func(i int) bool { return l[i].at > x.at })
	l = append(l, pending{})
	copy(l[i+1:], l[i:])
	l[i] = x
	return l
}

// due removes and returns the entries of l due at or before t.
func due(l *[]pending, t uint64) []pending {
	n := 0
	for n < len(*l) && (*l)[n].at <= t {
		n++
	}
	out := append([]pending(nil), (*l)[:n]...)
	*l = (*l)[n:]
	return out
}

func (d *devices) addStart(at uint64, ps *ProcSpec, p *proc, spec *CoSpec) {
	x := startReq{at: at, ps: ps, p: p, spec: spec, waker: ^uint32(0)}
	i := sort.Search(len(d.starts), func(i int) bool { return d.starts[i].at > at })
	d.starts = append(d.starts, startReq{})
	copy(d.starts[i+1:], d.starts[i:])
	d.starts[i] = x
}

func (d *devices) idle() bool { return len(d.io)+len(d.sends)+len(d.sleeps)+len(d.starts) == 0 }
