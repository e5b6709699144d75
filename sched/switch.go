package sched

// Switch is a coroutine switch in one call: Yield the Running coroutine
// id, then Fetch the best ready one — exactly Yield(c, id) followed by
// Fetch(c), with the same two events, but one call, one lock check and
// one lookup instead of two, for the executors' hot loop (package
// kernel/user/cops). On an error nothing has changed.
//
// nosplit: hot path shared with the vDSO page.
//
//go:nosplit
func (l *Local) Switch(c Ctx, id uint32) (uint32, Errno) {
	if !l.held() {
		return NoCo, ErrNotLocked
	}
	cb := l.lookup(id)
	if cb == nil {
		return NoCo, ErrBadID
	}
	if cb.State != Running {
		return NoCo, ErrBadState
	}
	cb.State = Ready
	l.push(uint16(slotOf(id)))
	l.emit(c, cb, Running, Ready, CauseYield, NoWaker, 0)
	s := l.popBest() // never empty: id was just queued
	next := &l.Cos[s&(LocalCos-1)]
	next.State = Running
	l.Cur = s
	l.emit(c, next, Ready, Running, CauseFetch, NoWaker, 0)
	return next.ID, OK
}
