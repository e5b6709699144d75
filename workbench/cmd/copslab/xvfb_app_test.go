//go:build !ci

package main

// The one way the window tests start the real copslab binary: a private
// Xvfb display, the UI map (control positions) the app writes, the
// window's place on the screen, and an end that cannot leave it running.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// xapp is a copslab window on a private Xvfb display.
type xapp struct {
	t       testing.TB
	env     []string
	dir     string // holds ui.json and screenshots
	display string
	cmd     *exec.Cmd
	exited  chan struct{} // closed once the process has ended
	exitErr error         // how it ended; valid once exited is closed
	mu      sync.Mutex    // the app writes logs while the test reads them
	logs    bytes.Buffer
	pos     map[string][2]int
	wx, wy  int // the window's origin on the screen
	ww, wh  int // and its size
	shots   int
}

// startApp opens the window on a sandbox scenario with extra environment.
func startApp(t testing.TB, scenario string, extraEnv ...string) *xapp {
	return startAppArgs(t, []string{"gui", "--scenario", scenario}, extraEnv...)
}

// startAppArgs opens the window of copslab args (e.g. on another target)
// on a new display.
func startAppArgs(t testing.TB, args []string, extraEnv ...string) *xapp {
	return startAppOn(t, "", "", args, extraEnv...)
}

// startAppOn opens the window of copslab args on display ("": a new Xvfb)
// in working directory dir (""; the test's, with a new directory for the
// UI map: Delve finds the source tree above it). Later entries of extraEnv
// override earlier ones and the defaults (C.UTF-8, a private
// XDG_CONFIG_HOME). The test's cleanup ends the app (end).
func startAppOn(t testing.TB, display, dir string, args []string, extraEnv ...string) *xapp {
	t.Helper()
	for _, bin := range []string{"Xvfb", "xdotool", "xwd"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (scripts/prereqs.sh installs it)", bin)
		}
	}
	if testing.Short() {
		t.Skip("starts X and a GL window; skipped with -short")
	}
	workDir := dir // the test's own (the package directory) unless given
	if dir == "" {
		dir = t.TempDir()
	}
	exe := copslabExe(t)
	if display == "" {
		display = xvfb(t)
	}
	uiMap := filepath.Join(dir, "ui.json")
	env := append(cLocaleEnv(t), "DISPLAY="+display, "LIBGL_ALWAYS_SOFTWARE=1", "COPSLAB_UI_MAP="+uiMap)
	env = append(env, extraEnv...)
	a := &xapp{t: t, env: env, dir: dir, display: display, exited: make(chan struct{})}
	a.cmd = exec.Command(exe, args...)
	a.cmd.Env, a.cmd.Dir = env, workDir
	a.cmd.Stdout, a.cmd.Stderr = lockedWriter{&a.logs, &a.mu}, lockedWriter{&a.logs, &a.mu}
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		a.exitErr = a.cmd.Wait()
		close(a.exited)
	}()
	t.Cleanup(a.cleanup)
	a.pos = waitUIMap(t, uiMap, a.exited)
	win := xdo(t, env, "search", "--sync", "--name", "copslab")
	geo := xdo(t, env, "getwindowgeometry", strings.Fields(win)[0])
	_, err1 := fmt.Sscanf(geo[strings.Index(geo, "Position:"):], "Position: %d,%d", &a.wx, &a.wy)
	_, err2 := fmt.Sscanf(geo[strings.Index(geo, "Geometry:"):], "Geometry: %dx%d", &a.ww, &a.wh)
	if err1 != nil || err2 != nil {
		t.Fatalf("window geometry %q: %v, %v", geo, err1, err2)
	}
	time.Sleep(time.Second)
	return a
}

// cleanup is what the test's cleanup runs, passed or failed: SIGTERM
// (the window closes its target, Delve or QEMU, as it quits), SIGKILL
// after 30 s; the output is logged when the test failed.
func (a *xapp) cleanup() {
	a.end(syscall.SIGTERM, 30*time.Second)
	if a.t.Failed() {
		a.t.Logf("copslab output:\n%s", a.output())
	}
}

// end sends sig unless the app has ended, waits up to grace for it to
// exit and kills it after that; it reports whether the app ended in time.
func (a *xapp) end(sig os.Signal, grace time.Duration) bool {
	select {
	case <-a.exited:
		return true
	default:
	}
	a.cmd.Process.Signal(sig)
	select {
	case <-a.exited:
		return true
	case <-time.After(grace):
		a.cmd.Process.Kill()
		<-a.exited
		return false
	}
}

// waitUIMap waits for the control positions the app writes on start.
func waitUIMap(t testing.TB, path string, exited <-chan struct{}) map[string][2]int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("copslab exited before its window came up")
		default:
		}
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			var m map[string][2]int
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("UI map: %v", err)
			}
			return m
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the window did not come up (no UI map within 60s)")
	return nil
}
