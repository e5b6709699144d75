//go:build !ci

package main

// The window on the real kernel: copslab --target qemu under Xvfb, run
// through the clicks a student makes, with the tasks view compared to the
// trace through the state file the window writes (COPSLAB_UI_STATE).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"copslab/workbench/gui"
	"copslab/workbench/internal/testkernel"
)

// readUIState waits until the window's state file satisfies ok.
func readUIState(t *testing.T, path string, what string, ok func(gui.UIState) bool) gui.UIState {
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
	for _, bin := range []string{"Xvfb", "xdotool", "xwd"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (scripts/prereqs.sh installs it)", bin)
		}
	}
	testkernel.Board(t)
	kernel := testkernel.Build(t)
	dir := t.TempDir()
	exe := copslabExe(t)
	display := xvfb(t)
	uiMap, uiState := filepath.Join(dir, "ui.json"), filepath.Join(dir, "state.json")
	env := append(cLocaleEnv(t), "DISPLAY="+display, "LIBGL_ALWAYS_SOFTWARE=1", "COPSLAB_UI_MAP="+uiMap, "COPSLAB_UI_STATE="+uiState)
	app := exec.Command(exe, "gui", "--target", "qemu", "--kernel", kernel, "--board", testkernel.BoardPath(), "--append", "run threads")
	app.Env = env
	var logs bytes.Buffer
	var logsMu sync.Mutex
	output := func() string { logsMu.Lock(); defer logsMu.Unlock(); return logs.String() }
	app.Stdout, app.Stderr = lockedWriter{&logs, &logsMu}, lockedWriter{&logs, &logsMu}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	ended := false
	t.Cleanup(func() {
		if !ended {
			app.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("copslab output:\n%s", output())
		}
	})
	pos := waitUIMap(t, uiMap, exited)
	win := xdo(t, env, "search", "--sync", "--name", "copslab")
	geo := xdo(t, env, "getwindowgeometry", strings.Fields(win)[0])
	var wx, wy int
	if _, err := fmt.Sscanf(geo[strings.Index(geo, "Position:"):], "Position: %d,%d", &wx, &wy); err != nil {
		t.Fatalf("window geometry %q: %v", geo, err)
	}
	click := func(name string) {
		p, ok := pos[name]
		if !ok {
			t.Fatalf("no control %q in the UI map", name)
		}
		xdo(t, env, "mousemove", fmt.Sprint(wx+p[0]), fmt.Sprint(wy+p[1]), "click", "1")
	}
	// The window opens on the kernel's first decision: process 1's
	// thread spawned.
	st := readUIState(t, uiState, "the first kernel event", func(s gui.UIState) bool { return s.Events >= 1 })
	if st.Last == nil || st.Last.Proc != 1 || taskState(st, st.Last.Co) != st.Last.To.String() {
		t.Fatalf("first decision: %+v", st)
	}
	before := shoot(t, env, dir, "0-start")
	// Step to the next decision, three times: each adds exactly the one
	// event the kernel recorded, and the tasks view shows its new state.
	for i := 0; i < 3; i++ {
		n := st.Events
		click("step")
		st = readUIState(t, uiState, "the next decision", func(s gui.UIState) bool { return s.Events > n })
		if st.Events != n+1 {
			t.Fatalf("step %d: %d events after %d, want one more", i, st.Events, n)
		}
		if got, want := taskState(st, st.Last.Co), st.Last.To.String(); got != want {
			t.Fatalf("step %d: event %+v, but the tasks view shows tid %d %s", i, *st.Last, st.Last.Co, got)
		}
	}
	stepped := waitChange(t, env, dir, "1-stepped", before, 200)
	// Run to the end: the threads program finishes and the kernel powers off.
	click("run")
	st = readUIState(t, uiState, "the run finished", func(s gui.UIState) bool { return strings.Contains(s.Status, "finished") })
	if !strings.Contains(st.Status, "(0 lost)") || len(st.Tasks) < 5 {
		t.Errorf("after the run: status %q, %d tasks", st.Status, len(st.Tasks))
	}
	for _, r := range st.Tasks {
		if r.State != "Exited" {
			t.Errorf("after power-off the tasks view shows %s %s", r.Name, r.State)
		}
	}
	final := waitChange(t, env, dir, "2-finished", stepped, 2000)
	if path := os.Getenv("COPSLAB_KERNEL_SHOT"); path != "" {
		savePNG(t, path, final, 1280, 800)
	}
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		ended = true
	case <-time.After(30 * time.Second):
		t.Fatal("copslab still runs 30 s after SIGTERM")
	}
	if out := output(); strings.Contains(out, "Fyne error") || strings.Contains(out, "panic") {
		t.Errorf("copslab logged errors:\n%.3000s", out)
	}
	t.Logf("%d events, status %q", st.Events, st.Status)
}

// savePNG writes the top-left w×h of img (the window at the display's
// origin) to path.
func savePNG(t *testing.T, path string, img image.Image, w, h int) {
	r := image.Rect(0, 0, min(w, img.Bounds().Dx()), min(h, img.Bounds().Dy()))
	out := image.NewRGBA(r)
	draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, out); err != nil {
		t.Fatal(err)
	}
}
