//go:build !ci

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copslab/workbench/gui/lessonpanel"
)

// TestLessonPanelUnderXvfb walks the first lesson in the real window:
// the panel offers it on the first start, xdotool clicks Start, Next and
// a prediction, the panel's state and its green pass marks on the screen
// are checked, and a second start of the app offers to resume where the
// student left off. Helpers are shared with TestWindowUnderXvfb.
func TestLessonPanelUnderXvfb(t *testing.T) {
	for _, bin := range []string{"Xvfb", "xdotool", "xwd"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (scripts/prereqs.sh installs it)", bin)
		}
	}
	if testing.Short() {
		t.Skip("starts X and a GL window; skipped with -short")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "bin", "copslab")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := xvfb(t)
	uiMap, state := filepath.Join(dir, "ui.json"), filepath.Join(dir, "lesson.json")
	env := append(os.Environ(), "DISPLAY="+display, "LIBGL_ALWAYS_SOFTWARE=1", "COPSLAB_UI_MAP="+uiMap,
		"COPSLAB_LESSON_STATE="+state, "XDG_CONFIG_HOME="+dir, "LANG=en_US.UTF-8")

	app := startLessonApp(t, exe, env, dir)
	pos := waitUIMap(t, uiMap, app.exited)
	if _, ok := pos["lesson.start"]; !ok {
		t.Fatalf("the first start does not offer a lesson (no Start button in %v)", keys(pos))
	}
	st := waitState(t, state, func(s lessonpanel.State) bool { return s.Lesson != "" })
	if st.Lesson != "01-coroutine-states" || st.Started {
		t.Fatalf("offered %+v", st)
	}
	wx, wy := windowOrigin(t, env)
	click := func(name string) {
		t.Helper()
		p := waitControl(t, uiMap, name)
		xdo(t, env, "mousemove", fmt.Sprint(wx+p[0]), fmt.Sprint(wy+p[1]), "click", "1")
	}
	click("lesson.start")
	waitState(t, state, func(s lessonpanel.State) bool { return s.Started && s.Passed })
	click("lesson.next")
	waitState(t, state, func(s lessonpanel.State) bool { return s.Step == 1 && !s.Acted })
	click("lesson.choice.0") // "reader", the right prediction
	st = waitState(t, state, func(s lessonpanel.State) bool { return s.Step == 1 && s.Acted && !s.Busy })
	if !st.Passed || st.Score != 1 || st.Asked != 1 || len(st.Checks) != 2 {
		t.Fatalf("after the prediction: %+v", st)
	}
	time.Sleep(time.Second) // let it paint
	img := shoot(t, env, dir, "lesson-panel")
	for i := range st.Checks {
		p := waitControl(t, uiMap, fmt.Sprintf("lesson.mark.%d", i))
		if n := greenPixels(img, wx+p[0], wy+p[1], 12); n < 10 {
			t.Errorf("check %d: %d green pixels at its mark (%d,%d); want a green tick", i, n, wx+p[0], wy+p[1])
		}
	}
	app.stop(t)

	// Second start: the panel remembers the lesson and the step.
	os.Remove(uiMap)
	os.Remove(state)
	app = startLessonApp(t, exe, env, dir)
	waitUIMap(t, uiMap, app.exited)
	st = waitState(t, state, func(s lessonpanel.State) bool { return s.Lesson != "" })
	if st.Lesson != "01-coroutine-states" || st.Step != 1 || st.Started {
		t.Fatalf("second start offers %+v, want step 2 of the first lesson to resume", st)
	}
	app.stop(t)
}

type lessonApp struct {
	cmd    *exec.Cmd
	exited chan error
	logs   *bytes.Buffer
}

func startLessonApp(t *testing.T, exe string, env []string, dir string) *lessonApp {
	t.Helper()
	cmd := exec.Command(exe, "gui", "--scenario", "tiny")
	cmd.Env, cmd.Dir = env, dir // no lessons folder in dir: the built-in lessons
	a := &lessonApp{cmd: cmd, exited: make(chan error, 1), logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = a.logs, a.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { a.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-a.exited
		}
		if t.Failed() {
			t.Logf("copslab output:\n%s", a.logs.String())
		}
	})
	return a
}

// stop ends the app with SIGINT (it saves its preferences on the way out).
func (a *lessonApp) stop(t *testing.T) {
	a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.exited:
	case <-time.After(20 * time.Second):
		a.cmd.Process.Kill()
		<-a.exited
	}
}

func windowOrigin(t *testing.T, env []string) (int, int) {
	win := xdo(t, env, "search", "--sync", "--name", "copslab")
	geo := xdo(t, env, "getwindowgeometry", strings.Fields(win)[0])
	var wx, wy int
	if _, err := fmt.Sscanf(geo[strings.Index(geo, "Position:"):], "Position: %d,%d", &wx, &wy); err != nil {
		t.Fatalf("window geometry %q: %v", geo, err)
	}
	return wx, wy
}

// waitState waits until the panel's state file satisfies ok (60 s).
func waitState(t *testing.T, path string, ok func(lessonpanel.State) bool) lessonpanel.State {
	t.Helper()
	var s lessonpanel.State
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &s) == nil && ok(s) {
			return s
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("panel state never as expected; last %+v", s)
	return s
}

// waitControl waits until the UI map lists control name (the panel
// rewrites the map after its controls change).
func waitControl(t *testing.T, path, name string) [2]int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var m map[string][2]int
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &m) == nil {
			if p, ok := m[name]; ok {
				return p
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("control %s never appeared in the UI map", name)
	return [2]int{}
}

// greenPixels counts clearly green pixels within r of (x, y).
func greenPixels(img image.Image, x, y, r int) int {
	n := 0
	for yy := y - r; yy <= y+r; yy++ {
		for xx := x - r; xx <= x+r; xx++ {
			cr, cg, cb, _ := img.At(xx, yy).RGBA()
			if cg>>8 > 120 && cg>>8 > cr>>8+40 && cg>>8 > cb>>8+20 {
				n++
			}
		}
	}
	return n
}

func keys(m map[string][2]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
