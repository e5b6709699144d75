package proc

// Intrusive thread lists. A thread is in at most one list at a time: a
// ready list of its process (one per nice level) while Ready, or the
// wait queue it blocks on while Blocked. The links live in the Thread,
// so pushing, popping and unlinking cost O(1) and allocate nothing.

// tlist is a FIFO of threads linked through Thread.next/prev.
type tlist struct{ head, tail *Thread }

// push appends t; t must be in no list.
func (l *tlist) push(t *Thread) {
	t.list, t.prev, t.next = l, l.tail, nil
	if l.tail != nil {
		l.tail.next = t
	} else {
		l.head = t
	}
	l.tail = t
}

// remove unlinks t from l (t.list must be l).
func (l *tlist) remove(t *Thread) {
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		l.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		l.tail = t.prev
	}
	t.list, t.prev, t.next = nil, nil, nil
}

// pop removes and returns the first thread, or nil.
func (l *tlist) pop() *Thread {
	t := l.head
	if t != nil {
		l.remove(t)
	}
	return t
}

func (l *tlist) empty() bool { return l.head == nil }

// WaitQ is a queue of threads blocked on one thing: a pipe's data or
// room, a process's children, a vfork child, a futex word, an epoll
// instance, console input. Whoever changes that thing wakes the queue
// (Sched.WakeOne, Sched.WakeAll); nobody re-checks blocked threads.
type WaitQ struct{ l tlist }

// Empty reports whether nobody waits.
func (q *WaitQ) Empty() bool { return q.l.empty() }

// Len counts the waiters (for tests and /proc; O(n)).
func (q *WaitQ) Len() int {
	n := 0
	for t := q.l.head; t != nil; t = t.next {
		n++
	}
	return n
}
