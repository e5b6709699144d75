package proc

// The timer queue: one binary min-heap of the threads blocked with a
// deadline (nanosleep, futex and epoll timeouts), ordered by deadline
// and, among equal deadlines, by the order they blocked in. Each thread
// keeps its heap index, so waking it early removes it in O(log n); the
// scheduler looks only at the top. A process with timer slack keeps a
// second heap of the same kind, ordered by the deadlines its threads
// asked for (slack.go).

type timerHeap struct {
	ts   []*Thread
	seq  uint64 // stamps insertions for FIFO order among equal deadlines
	soft bool   // a process's slack heap: keyed by Thread.soft, indexed by Thread.softIdx
}

// key is t's deadline in this heap.
func (h *timerHeap) key(t *Thread) int64 {
	if h.soft {
		return t.soft
	}
	return t.deadline
}

// index is where t keeps its place in this heap (1 + index; 0: not in it).
func (h *timerHeap) index(t *Thread) *int {
	if h.soft {
		return &t.softIdx
	}
	return &t.timerIdx
}

func (h *timerHeap) less(i, j int) bool {
	a, b := h.ts[i], h.ts[j]
	ka, kb := h.key(a), h.key(b)
	return ka < kb || ka == kb && a.timerSeq < b.timerSeq
}

func (h *timerHeap) swap(i, j int) {
	h.ts[i], h.ts[j] = h.ts[j], h.ts[i]
	*h.index(h.ts[i]) = i + 1
	*h.index(h.ts[j]) = j + 1
}

func (h *timerHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

func (h *timerHeap) down(i int) {
	n := len(h.ts)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// add puts t (with its key set) in the heap. The scheduler's heap
// stamps t's FIFO order; a slack heap, filled right after, reuses it.
func (h *timerHeap) add(t *Thread) {
	if !h.soft {
		h.seq++
		t.timerSeq = h.seq
	}
	h.ts = append(h.ts, t)
	*h.index(t) = len(h.ts)
	h.up(len(h.ts) - 1)
}

// del removes t if it is in the heap.
func (h *timerHeap) del(t *Thread) {
	i := *h.index(t) - 1
	if i < 0 {
		return
	}
	last := len(h.ts) - 1
	if i != last {
		h.swap(i, last)
	}
	h.ts[last] = nil
	h.ts = h.ts[:last]
	*h.index(t) = 0
	if i != last {
		h.down(i)
		h.up(i)
	}
}

// top is the thread with the earliest deadline, or nil.
func (h *timerHeap) top() *Thread {
	if len(h.ts) == 0 {
		return nil
	}
	return h.ts[0]
}
