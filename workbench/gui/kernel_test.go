package gui_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/workbench/cond"
	"copslab/workbench/gui"
	"copslab/workbench/internal/testkernel"
	"copslab/workbench/live"
	"copslab/workbench/model"
	"copslab/workbench/record"
	"copslab/workbench/target"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	os.Exit(code)
}

// kernelUI is the workbench on the real kernel in QEMU.
func kernelUI(t *testing.T, appendArgs string) (*ui, target.Target) {
	t.Helper()
	testkernel.Board(t)
	test.NewTempApp(t)
	tg, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
		Kernel: testkernel.Build(t), Board: testkernel.BoardPath(), Append: appendArgs}})
	if err != nil {
		t.Fatal(err)
	}
	u := &ui{posts: make(chan func(), 64)}
	u.Workbench = gui.New(tg, model.New(), func(f func()) { u.posts <- f })
	w := test.NewWindow(u.Content())
	w.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(func() { u.C.Close(); w.Close() })
	u.pump(t, func() bool { return u.C.M.Len() > 0 })
	return u, tg
}

// TestQEMUKilledKeepsRecording: QEMU dies while the window runs the
// kernel; the window says so and offers save and reconnect, keeps every
// event, saves them, and reconnecting boots the kernel again.
func TestQEMUKilledKeepsRecording(t *testing.T) {
	u, tg := kernelUI(t, "runall pyield pyield")
	k := tg.(interface{ Kernel() *live.Kernel }).Kernel()
	u.tap("run")
	u.pump(t, func() bool { return u.C.M.Len() > 200 })
	k.Machine().Kill()
	u.pump(t, func() bool { return u.C.Err != nil })
	var died *live.DiedError
	if !errors.As(u.C.Err, &died) {
		t.Fatalf("error %v, want QEMU's death", u.C.Err)
	}
	st := u.C.Status()
	if !strings.Contains(st, "Save recording") || !strings.Contains(st, "Reconnect") || u.C.Running {
		t.Errorf("status %q (running %v)", st, u.C.Running)
	}
	n := u.C.M.Len()
	path := filepath.Join(t.TempDir(), "kept.rec")
	if _, err := u.C.Save(path); err != nil {
		t.Fatal(err)
	}
	meta, m, err := record.LoadFile(path)
	if err != nil || m.Len() != n || meta.Target != "qemu" {
		t.Fatalf("saved recording: %+v, %d events of %d, %v", meta, m.Len(), n, err)
	}
	u.tap("reconnect")
	u.pump(t, func() bool { return u.C.Err == nil && u.C.M.Len() > 0 && u.C.M.Len() < n })
}

// TestStopWhenOnKernel: a stop condition pauses the running kernel at
// the first matching event with the cursor on it.
func TestStopWhenOnKernel(t *testing.T) {
	u, _ := kernelUI(t, "runall pyield pyield")
	k, err := cond.Parse("proc 2 placed") // the second process's first placement (runall creates both before either runs)
	if err != nil {
		t.Fatal(err)
	}
	u.C.StopWhen(k)
	u.tap("run")
	u.pump(t, func() bool { return u.C.Stopped != "" })
	var at uint64
	for _, e := range u.C.M.Events() {
		if e.Proc == 2 && e.To == 2 { // Running
			at = e.Time
			break
		}
	}
	if at == 0 || u.C.Cursor != at || u.C.Running || u.C.Live {
		t.Errorf("stopped %q: cursor %d, first placement of pid 2 at %d, running %v", u.C.Stopped, u.C.Cursor, at, u.C.Running)
	}
	// Back steps the cursor to the event before.
	u.tap("back")
	if u.C.Cursor >= at {
		t.Errorf("back: cursor %d, was %d", u.C.Cursor, at)
	}
}
