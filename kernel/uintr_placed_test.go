package kernel_test

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/sched"
	"copslab/workbench/live"
)

// TestUintrWaitNotPlaced: a process blocked on async I/O is not placed
// until its interrupt arrives — read from the kernel's trace ring as the
// workbench gets it (QEMU's gdb stub, -icount shift=0), not from a
// counter. uintrchk's one coroutine makes 5 async sleeps of 2 ms, then
// of 200 ms, with a timer slack of 1 s (prctl PR_SET_TIMERSLACK): its Go
// runtime's own naps (sysmon) then wait for the process's next wake-up
// instead of placing it (kernel/proc/slack.go). For every call the trace
// must show no placement of the process (the executor's place event with
// the process as Arg) between the submit (the kernel's io-submit,
// stamped at the system call) and the interrupt's post (uintr-send), and
// no transition of its threads at all from the moment its last thread
// blocked after the submit until that post; between the post and the
// delivery (uintr-deliver) at most the one placement that delivers it.
//
// The same program without slack, for both waits, shows that the check
// bites: its runtime's naps place it while it waits.
func TestUintrWaitNotPlaced(t *testing.T) {
	for _, c := range []struct {
		d, slack string
		quiet    bool // want no placement while it waits
	}{{"2ms", "1s", true}, {"200ms", "1s", true}, {"2ms", "", false}, {"200ms", "", false}} {
		name := c.d + "-slack-" + c.slack
		if c.slack == "" {
			name = c.d + "-no-slack"
		}
		t.Run(name, func(t *testing.T) {
			args := "run uintrchk wait -n 5 -d " + c.d
			if c.slack != "" {
				args += " -slack " + c.slack
			}
			evs, out := traceRun(t, args)
			if !strings.Contains(out, "uintrchk: wait: ok: 5 async sleeps of "+c.d) || !strings.Contains(out, "run uintrchk: exited with status 0") {
				t.Fatalf("uintrchk did not finish its waits:\n%s", out)
			}
			ws, err := asyncWaits(evs)
			if err != nil {
				t.Fatalf("%v (%d events)", err, len(evs))
			}
			if len(ws) != 5 {
				t.Fatalf("%d async calls in the trace, want 5", len(ws))
			}
			waking, placed := 0, 0
			for _, w := range ws {
				t.Logf("%s", w)
				waking += len(w.whileAsleep)
				placed += countPlace(w.whileAsleep)
				if w.delivering > 1 {
					t.Errorf("call %d: placed %d times between the interrupt's post and its delivery, want at most 1", w.key, w.delivering)
				}
				if c.quiet && w.returned != 0 {
					t.Errorf("call %d: placed %d times between its submit and the process's sleep", w.key, w.returned)
				}
			}
			t.Logf("%d placements and %d transitions of its threads while it waited", placed, waking-placed)
			switch {
			case c.quiet && waking != 0:
				t.Errorf("the process was placed or woken %d times while it waited for its interrupts", waking)
			case !c.quiet && waking == 0:
				t.Errorf("without slack the runtime's naps should show while it waits; the trace shows none")
			}
		})
	}
}

// asyncWait is what the trace says about one async call of a process.
type asyncWait struct {
	pid, key uint64
	// Times (ns since boot): the submit (io-submit, the process's
	// coroutine), the process asleep (its last thread blocked after
	// the submit), the interrupt posted (uintr-send) and delivered
	// (uintr-deliver).
	submit, asleep, send, deliver uint64
	returned                      int           // placements of the process between the submit and asleep
	whileAsleep                   []sched.Event // placements of it and events of its threads between asleep and send
	delivering                    int           // placements of it between send and deliver
}

func (w asyncWait) String() string {
	ms := func(a, b uint64) string { return strconv.FormatFloat(float64(b-a)/1e6, 'f', 3, 64) + " ms" }
	s := fmt.Sprintf("call %d of pid %d: submit at %s; asleep after %s; interrupt posted after %s asleep, delivered %s later; placements: %d returning from the submit, %d while asleep, %d to deliver",
		w.key, w.pid, ms(0, w.submit), ms(w.submit, w.asleep), ms(w.asleep, w.send), ms(w.send, w.deliver), w.returned, countPlace(w.whileAsleep), w.delivering)
	for _, e := range w.whileAsleep {
		s += fmt.Sprintf("\n\twhile asleep: %d ns: %v of %d (pid %d): %v → %v, arg %d", e.Time, e.Cause, e.Co, e.Proc, e.From, e.To, e.Arg)
	}
	return s
}

func countPlace(evs []sched.Event) int {
	n := 0
	for _, e := range evs {
		if e.Cause == sched.CausePlace {
			n++
		}
	}
	return n
}

// threadEvent reports whether e is a transition of a thread (the
// kernel's own events name threads by tid; a user coroutine's id
// carries a generation above its slot and index, never below 1<<14).
func threadEvent(e *sched.Event) bool {
	return e.Kind == sched.KindUser && e.Co < 1<<14 && e.Cause <= sched.CauseSetPrio
}

// asyncWaits finds every async call in the trace (its io-submit — the
// kernel's, stamped at the system call, is the first of the two —
// uintr-send and uintr-deliver, by key) and what happened to its
// process between them. Events are taken in time order (a Local's
// events reach the ring at the next decision, stamped when they
// happened); each process's threads are followed through their
// transitions to find when all of them were blocked.
func asyncWaits(evs []sched.Event) ([]asyncWait, error) {
	evs = append([]sched.Event(nil), evs...)
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].Time != evs[j].Time {
			return evs[i].Time < evs[j].Time
		}
		return evs[i].Seq < evs[j].Seq
	})
	// asleepAt[pid] lists the indices after which every live thread of
	// pid was blocked (the end of a run of the process).
	states := map[uint16]map[uint32]sched.State{}
	asleepAt := map[uint16][]int{}
	for i := range evs {
		e := &evs[i]
		if !threadEvent(e) || e.Proc == 0 {
			continue
		}
		m := states[e.Proc]
		if m == nil {
			m = map[uint32]sched.State{}
			states[e.Proc] = m
		}
		was := allBlocked(m)
		if e.To == sched.Exited {
			delete(m, e.Co)
		} else {
			m[e.Co] = e.To
		}
		if !was && allBlocked(m) {
			asleepAt[e.Proc] = append(asleepAt[e.Proc], i)
		}
	}
	type stages struct{ submit, send, deliver int }
	calls := map[[2]uint64]*stages{}
	var order [][2]uint64
	for i := range evs {
		e := &evs[i]
		var at *int
		id := [2]uint64{uint64(e.Proc), e.Arg}
		c := calls[id]
		switch e.Cause {
		case sched.CauseIOSubmit:
			if c != nil {
				continue // the coroutine's own mark, collected from its Local later
			}
			c = &stages{-1, -1, -1}
			calls[id] = c
			order = append(order, id)
			at = &c.submit
		case sched.CauseUintrSend:
			if c != nil {
				at = &c.send
			}
		case sched.CauseUintrDeliver:
			if c != nil {
				at = &c.deliver
			}
		}
		if at != nil && *at < 0 {
			*at = i
		}
	}
	var out []asyncWait
	for _, id := range order {
		c := calls[id]
		pid := uint16(id[0])
		if c.send < 0 || c.deliver < 0 {
			return nil, fmt.Errorf("call %d of pid %d: no uintr-send or uintr-deliver after its submit", id[1], pid)
		}
		asleep := -1
		for _, i := range asleepAt[pid] {
			if i > c.submit {
				asleep = i
				break
			}
		}
		if asleep < 0 || asleep > c.send {
			return nil, fmt.Errorf("call %d of pid %d: the process never slept between its submit and the interrupt", id[1], pid)
		}
		w := asyncWait{pid: id[0], key: id[1], submit: evs[c.submit].Time, asleep: evs[asleep].Time, send: evs[c.send].Time, deliver: evs[c.deliver].Time}
		placed := func(e *sched.Event) bool { return e.Cause == sched.CausePlace && e.Arg == uint64(pid) }
		for i := c.submit + 1; i <= asleep; i++ {
			if placed(&evs[i]) {
				w.returned++
			}
		}
		for i := asleep + 1; i < c.send; i++ {
			if e := &evs[i]; placed(e) || threadEvent(e) && e.Proc == pid {
				w.whileAsleep = append(w.whileAsleep, *e)
			}
		}
		for i := c.send + 1; i < c.deliver; i++ {
			if placed(&evs[i]) {
				w.delivering++
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// allBlocked reports whether a process's threads (m: their states) are
// all blocked, and it has one.
func allBlocked(m map[uint32]sched.State) bool {
	for _, s := range m {
		if s != sched.Blocked {
			return false
		}
	}
	return len(m) > 0
}

// traceRun boots the kernel with bootargs under -icount shift=0 and a
// gdb stub, reads its trace ring to the power-off as the workbench does
// (package live: the hart halts when the ring is nearly full and at the
// power-off), and returns every event (none may be lost) and the
// console.
func traceRun(t *testing.T, bootargs string) ([]sched.Event, string) {
	t.Helper()
	kernel := kernelImage(t)
	m, port := bootIcountStub(t, bootargs)
	addr := net.JoinHostPort(boards.LoopbackHost, strconv.Itoa(port))
	var k *live.Kernel
	var err error
	for deadline := time.Now().Add(guestWait); ; time.Sleep(100 * time.Millisecond) {
		if k, err = live.Open(live.Options{Kernel: kernel, Attach: addr, Timeout: time.Minute}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("attaching to QEMU's gdb stub: %v\n%s", err, m.Output())
		}
	}
	defer k.Close()
	var evs []sched.Event
	for deadline := time.Now().Add(guestWait); ; {
		got, err := k.RunFor(10 * time.Second)
		evs = append(evs, got...)
		if err != nil {
			t.Fatalf("reading the trace: %v\n%s", err, m.Output())
		}
		if ended, _, _ := k.Ended(); ended {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kernel did not power off within %v:\n%s", guestWait, m.Output())
		}
	}
	if k.Ring.Lost != 0 {
		t.Fatalf("%d trace events lost", k.Ring.Lost)
	}
	return evs, m.Output()
}
