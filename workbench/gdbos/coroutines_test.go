package gdbos

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"copslab/kernel/ktrace"
	"copslab/sched"
)

// TestLocalRows: the rows of a Local built by the scheduler's own
// operations — ids in the coroutine range, state, priority and kind in the
// text, which coroutine has registers (a Running user coroutine those of
// its process's Running thread, a Running kernel coroutine the hart) and
// why the others have none; a corrupt Local is one row saying why.
func TestLocalRows(t *testing.T) {
	r := new(sched.Region)
	r.Init()
	if !r.TryLock(sched.LockTag(0, false)) {
		t.Fatal("fresh region lock busy")
	}
	if e := r.AddProc(1); e != sched.OK {
		t.Fatal(e)
	}
	c := sched.Ctx{Now: 1}
	must := func(id uint32, e sched.Errno) uint32 {
		t.Helper()
		if e != sched.OK {
			t.Fatal(e)
		}
		return id
	}
	kdrv := must(r.Spawn(c, 0, sched.KindKernelSyscall, 0, sched.NoWaker))
	ksched := must(r.Spawn(c, 0, sched.KindKernelScheduler, 7, sched.NoWaker))
	must(r.Fetch(c, 0)) // the driver (priority 0) runs
	run := must(r.Spawn(c, 1, sched.KindUser, 2, sched.NoWaker))
	ready := must(r.Spawn(c, 1, sched.KindUser, 5, sched.NoWaker))
	must(r.Fetch(c, 1))
	gone := must(r.Spawn(c, 1, sched.KindUser, 6, sched.NoWaker))
	threads := []ktrace.Slot{
		{TID: 3, PID: 2, State: uint8(sched.Blocked), Frame: 0x80001000},
		{TID: 4, PID: 2, State: uint8(sched.Running), Frame: 0x80002000},
	}
	kern := localRows(r.Locals[0].Bytes(), 0, nil, threads, kdrv)
	user := localRows(r.Locals[1].Bytes(), 1, &threads[0], threads, 0)
	byID := map[uint32]coThread{}
	for _, row := range append(kern, user...) {
		byID[row.co.ID] = row
	}
	if len(kern) != 2 || len(user) != 3 {
		t.Fatalf("%d kernel rows, %d user rows, want 2 and 3: %+v %+v", len(kern), len(user), kern, user)
	}
	for _, w := range []struct {
		id    uint32
		extra string
		hart  bool
		tid   uint32 // 0: no thread
	}{
		{kdrv, "kernel coroutine " + hex(kdrv) + " Running prio 0 kernel-syscall (console driver) on the hart", true, 0},
		{ksched, "kernel coroutine " + hex(ksched) + " Ready prio 7 kernel-sched (the process scheduler): not running, no stack of its own", false, 0},
		{run, "coroutine " + hex(run) + " of pid 2 () Running prio 2 user on tid 4", false, 4},
		{ready, "coroutine " + hex(ready) + " of pid 2 () Ready prio 5 user: not running, no stack of its own", false, 0},
		{gone, "coroutine " + hex(gone) + " of pid 2 () Ready prio 6 user: not running, no stack of its own", false, 0},
	} {
		row, ok := byID[w.id]
		switch {
		case !ok:
			t.Errorf("no row for %s", hex(w.id))
		case row.extra != w.extra:
			t.Errorf("row %s: %q, want %q", hex(w.id), row.extra, w.extra)
		case row.hart != w.hart || (row.slot == nil) != (w.tid == 0) || row.slot != nil && row.slot.TID != w.tid:
			t.Errorf("row %s: hart %v thread %+v, want hart %v tid %d", hex(w.id), row.hart, row.slot, w.hart, w.tid)
		case (row.why == "") != (row.hart || w.tid != 0):
			t.Errorf("row %s: why %q", hex(w.id), row.why)
		case gdbID(row.id) != coThreadBase|uint64(w.id&coIDMask):
			t.Errorf("row %s: gdb id %s", hex(w.id), row.id)
		}
	}
	// An exited coroutine leaves the list; a corrupt Local is one row.
	must(0, r.Exit(c, run))
	if rows := localRows(r.Locals[1].Bytes(), 1, &threads[0], threads, 0); len(rows) != 2 {
		t.Errorf("after an exit: %d rows, want 2", len(rows))
	}
	b := append([]byte(nil), r.Locals[1].Bytes()...)
	b[sched.OffCos+int(ready&0xff)*sched.CBSize+11] = 9 // priority 9
	rows := localRows(b, 1, &threads[0], threads, 0)
	if len(rows) != 1 || !strings.HasPrefix(rows[0].extra, "pid 2 (): its Local does not decode: ") || rows[0].why == "" {
		t.Errorf("corrupt Local: %+v", rows)
	}
}

func hex(id uint32) string { return fmt.Sprintf("%#x", id) }

func gdbID(s string) uint64 {
	v, _ := strconv.ParseUint(s, 16, 64)
	return v
}
