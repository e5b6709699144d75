package target_test

import (
	"os"
	"testing"
	"time"

	"copslab/sched"
	"copslab/workbench/internal/testkernel"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	os.Exit(code)
}

func openKernel(t *testing.T, appendArgs string) target.Target {
	t.Helper()
	testkernel.Board(t)
	tg, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
		Kernel: testkernel.Build(t), Board: testkernel.BoardPath(), Append: appendArgs}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

// TestKernelThroughDriver runs the threads program (four workers, futex
// wakeups) to power-off through the session driver, as the window and
// copslab record do, and checks the model the events built.
func TestKernelThroughDriver(t *testing.T) {
	tg := openKernel(t, "run threads")
	if tg.Info().Kind != "qemu" {
		t.Fatalf("info %+v", tg.Info())
	}
	d := session.New(tg)
	m := model.New()
	b, err := d.Start()
	if err != nil {
		t.Fatal(err)
	}
	b.ApplyTo(m)
	// The first decisions, one at a time (breakpoint on the ring's put).
	b, err = d.Step(3)
	if err != nil || len(b.Events) != 3 || b.Events[0].Cause != sched.CauseSpawn {
		t.Fatalf("three steps: %+v, %v", b.Events, err)
	}
	b.ApplyTo(m)
	deadline := time.Now().Add(3 * time.Minute)
	for !b.Done {
		if b, err = d.Stream(40*time.Millisecond, ^uint64(0)); err != nil {
			t.Fatal(err)
		}
		b.ApplyTo(m)
		if time.Now().After(deadline) {
			t.Fatalf("still running after 3 minutes, %d events", m.Len())
		}
	}
	if m.Lost() != 0 {
		t.Errorf("%d events lost", m.Lost())
	}
	s := m.Now()
	var exited, wakes int
	for _, c := range s.Cos {
		if c.State == sched.Exited {
			exited++
		}
	}
	for _, e := range m.Events() {
		if e.Cause == sched.CauseWake && e.Waker != sched.NoWaker {
			wakes++
		}
	}
	if exited < 5 || exited != len(s.Cos) || wakes == 0 {
		t.Errorf("%d threads, %d exited, %d wakeups by a thread", len(s.Cos), exited, wakes)
	}
	snap, err := tg.Snapshot()
	if err != nil || snap.Proc(1) == nil || snap.Proc(1).Name != "threads (pid 1)" {
		t.Fatalf("snapshot %+v, %v", snap, err)
	}
	t.Logf("%d events, %d threads, %d wakeups by a thread, guest %v", m.Len(), len(s.Cos), wakes, time.Duration(tg.Now()))
}
