//go:build !ci

package main

import (
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
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
	dir := t.TempDir() // no lessons folder in it: the built-in lessons
	uiMap, state := filepath.Join(dir, "ui.json"), filepath.Join(dir, "lesson.json")
	// The same preferences (XDG_CONFIG_HOME) for both starts: the second
	// resumes where the first left off.
	env := []string{"COPSLAB_LESSON_STATE=" + state, "XDG_CONFIG_HOME=" + dir, "LANG=en_US.UTF-8"}
	args := []string{"gui", "--scenario", "tiny"}
	app := startAppOn(t, "", dir, args, env...)
	if _, ok := app.pos["lesson.start"]; !ok {
		t.Fatalf("the first start does not offer a lesson (no Start button in %v)", keys(app.pos))
	}
	st := waitState(t, state, func(s lessonpanel.State) bool { return s.Lesson != "" })
	if st.Lesson != "01-coroutine-states" || st.Started {
		t.Fatalf("offered %+v", st)
	}
	click := func(name string) {
		t.Helper()
		p := waitControl(t, uiMap, name)
		xdo(t, app.env, "mousemove", fmt.Sprint(app.wx+p[0]), fmt.Sprint(app.wy+p[1]), "click", "1")
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
	img := app.shot("lesson-panel")
	for i := range st.Checks {
		p := waitControl(t, uiMap, fmt.Sprintf("lesson.mark.%d", i))
		if n := greenPixels(img, app.wx+p[0], app.wy+p[1], 12); n < 10 {
			t.Errorf("check %d: %d green pixels at its mark (%d,%d); want a green tick", i, n, app.wx+p[0], app.wy+p[1])
		}
	}
	app.end(os.Interrupt, 20*time.Second) // it saves its preferences on the way out

	// Second start, on the same display: the panel remembers the lesson
	// and the step.
	os.Remove(uiMap)
	os.Remove(state)
	startAppOn(t, app.display, dir, args, env...)
	st = waitState(t, state, func(s lessonpanel.State) bool { return s.Lesson != "" })
	if st.Lesson != "01-coroutine-states" || st.Step != 1 || st.Started {
		t.Fatalf("second start offers %+v, want step 2 of the first lesson to resume", st)
	}
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
