//go:build !ci

package main

// The window on the real kernel: copslab --target qemu under Xvfb, run
// through the clicks a student makes, with the tasks view compared to the
// trace through the state file the window writes (COPSLAB_UI_STATE).

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copslab/workbench/gui"
	"copslab/workbench/internal/testkernel"
)

// readUIState waits until the window's state file satisfies ok.
func readUIState(t testing.TB, path string, what string, ok func(gui.UIState) bool) gui.UIState {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var st gui.UIState
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &st) == nil && ok(st) {
			return st
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("window never showed %s; last state: %+v", what, st)
	return st
}

// taskState is the state the tasks view shows for id.
func taskState(st gui.UIState, id uint32) string {
	for _, r := range st.Tasks {
		if r.ID == id {
			return r.State
		}
	}
	return "(no row)"
}

func TestKernelWindowUnderXvfb(t *testing.T) {
	testkernel.Board(t)
	kernel := testkernel.Build(t)
	uiState := filepath.Join(t.TempDir(), "state.json")
	a := startAppArgs(t, []string{"gui", "--target", "qemu", "--kernel", kernel, "--board", testkernel.BoardPath(), "--append", "run threads"},
		"COPSLAB_UI_STATE="+uiState)
	// The window opens on the kernel's first decision: process 1's
	// thread spawned.
	st := readUIState(t, uiState, "the first kernel event", func(s gui.UIState) bool { return s.Events >= 1 })
	if st.Last == nil || st.Last.Proc != 1 || taskState(st, st.Last.Co) != st.Last.To.String() {
		t.Fatalf("first decision: %+v", st)
	}
	before := a.shot("0-start")
	// Step to the next decision, three times: each adds exactly the one
	// event the kernel recorded, and the tasks view shows its new state.
	for i := 0; i < 3; i++ {
		n := st.Events
		a.click("step")
		st = readUIState(t, uiState, "the next decision", func(s gui.UIState) bool { return s.Events > n })
		if st.Events != n+1 {
			t.Fatalf("step %d: %d events after %d, want one more", i, st.Events, n)
		}
		if got, want := taskState(st, st.Last.Co), st.Last.To.String(); got != want {
			t.Fatalf("step %d: event %+v, but the tasks view shows tid %d %s", i, *st.Last, st.Last.Co, got)
		}
	}
	stepped := waitChange(t, a.env, a.dir, "1-stepped", before, 200)
	// Run to the end: the threads program finishes and the kernel powers off.
	a.click("run")
	st = readUIState(t, uiState, "the run finished", func(s gui.UIState) bool { return strings.Contains(s.Status, "finished") })
	if !strings.Contains(st.Status, "(0 lost)") || len(st.Tasks) < 5 {
		t.Errorf("after the run: status %q, %d tasks", st.Status, len(st.Tasks))
	}
	for _, r := range st.Tasks {
		if r.State != "Exited" {
			t.Errorf("after power-off the tasks view shows %s %s", r.Name, r.State)
		}
	}
	final := waitChange(t, a.env, a.dir, "2-finished", stepped, 2000)
	if path := os.Getenv("COPSLAB_KERNEL_SHOT"); path != "" {
		savePNG(t, path, final)
	}
	if out := a.output(); strings.Contains(out, "Fyne error") || strings.Contains(out, "panic") {
		t.Errorf("copslab logged errors:\n%.3000s", out)
	}
	t.Logf("%d events, status %q", st.Events, st.Status)
}

// savePNG writes img (the whole display: the window fills it) to path.
func savePNG(t *testing.T, path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
