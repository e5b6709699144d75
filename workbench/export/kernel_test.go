package export_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"copslab/sched"
	"copslab/workbench/internal/testkernel"
	"copslab/workbench/record"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	os.Exit(code)
}

// TestKernelRecordingExport records the real kernel in QEMU (the threads
// program: four workers, futex wakeups), reloads the recording and puts
// its export through the checks the sandbox exports pass.
func TestKernelRecordingExport(t *testing.T) {
	testkernel.Board(t)
	tg, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
		Kernel: testkernel.Build(t), Board: testkernel.BoardPath(), Append: "run threads"}})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var rec bytes.Buffer
	w, err := record.NewWriter(&rec, record.Meta{Target: "qemu", Scenario: tg.Info().Name})
	if err != nil {
		t.Fatal(err)
	}
	d := session.New(tg)
	b, err := d.Start()
	deadline := time.Now().Add(3 * time.Minute)
	for err == nil && time.Now().Before(deadline) {
		if err = w.Events(b.Events); err != nil || b.Done {
			break
		}
		if b.Snap != nil {
			w.Snapshot(b.Snap)
		}
		b, err = d.RunUntil(^uint64(0), 1<<16)
	}
	if err != nil || !b.Done {
		t.Fatalf("recording: done %v, %v", b.Done, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	meta, m, err := record.Load(bytes.NewReader(rec.Bytes()))
	if err != nil || meta.Target != "qemu" {
		t.Fatalf("reloading: %+v, %v", meta, err)
	}
	flows := checkExport(t, m)
	wakes := 0
	for _, e := range m.Events() {
		if e.From == sched.Blocked && e.To == sched.Ready {
			wakes++
		}
	}
	if len(flows) != wakes || wakes == 0 || m.Lost() != 0 {
		t.Errorf("%d flows for %d wakeups, %d events lost", len(flows), wakes, m.Lost())
	}
	t.Logf("%d events, %d wakeups", m.Len(), wakes)
}
