package proc

// The timer queue: one binary min-heap of the threads blocked with a
// deadline (nanosleep, futex and epoll timeouts), ordered by deadline
// and, among equal deadlines, by the order they blocked in. Each thread
// keeps its heap index, so waking it early removes it in O(log n); the
// scheduler looks only at the top.

type timerHeap struct {
	ts  []*Thread
	seq uint64 // stamps insertions for FIFO order among equal deadlines
}

func (h *timerHeap) less(i, j int) bool {
	a, b := h.ts[i], h.ts[j]
	return a.deadline < b.deadline || a.deadline == b.deadline && a.timerSeq < b.timerSeq
}

func (h *timerHeap) swap(i, j int) {
	h.ts[i], h.ts[j] = h.ts[j], h.ts[i]
	h.ts[i].timerIdx = i + 1
	h.ts[j].timerIdx = j + 1
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

// add puts t (with t.deadline set) in the heap.
func (h *timerHeap) add(t *Thread) {
	h.seq++
	t.timerSeq = h.seq
	h.ts = append(h.ts, t)
	t.timerIdx = len(h.ts)
	h.up(len(h.ts) - 1)
}

// del removes t if it is in the heap.
func (h *timerHeap) del(t *Thread) {
	i := t.timerIdx - 1
	if i < 0 {
		return
	}
	last := len(h.ts) - 1
	if i != last {
		h.swap(i, last)
	}
	h.ts[last] = nil
	h.ts = h.ts[:last]
	t.timerIdx = 0
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
