//go:build !ci

package main

// The Delve source pane in the real binary under Xvfb (helpers in
// xvfb_test.go and xvfb_app_test.go): "Step into (Delve)" stops in the scheduler's decision
// function and the pane shows the highlighted line; with dlv missing the
// pane says so and the run controls keep working.

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"copslab/workbench/delve"
	"copslab/workbench/gui"
)

func (a *xapp) click(name string) {
	p, ok := a.pos[name]
	if !ok {
		a.t.Fatalf("no control %q in the UI map", name)
	}
	xdo(a.t, a.env, "mousemove", fmt.Sprint(a.wx+p[0]), fmt.Sprint(a.wy+p[1]), "click", "1")
}

func (a *xapp) output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logs.String()
}

// waitLog waits until the app's output matches re (n-th match, from 1).
func (a *xapp) waitLog(re *regexp.Regexp, n int, d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		if m := re.FindAllString(a.output(), -1); len(m) >= n {
			return m[n-1]
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("no %d-th %q in the output within %v", n, re, d)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// shot takes a screenshot (saved when COPSLAB_SHOTS is set).
func (a *xapp) shot(name string) image.Image {
	a.shots++
	return shoot(a.t, a.env, a.dir, name)
}

// countColor counts the pixels of exactly colour c.
func countColor(img image.Image, c color.NRGBA) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if uint8(cr>>8) == c.R && uint8(cg>>8) == c.G && uint8(cb>>8) == c.B {
				n++
			}
		}
	}
	return n
}

func TestDelvePaneUnderXvfb(t *testing.T) {
	if _, err := delve.FindDlv(""); err != nil {
		t.Skip(err)
	}
	a := startApp(t, "webserver")
	for range 4 { // 40 decisions in: both servers have ready coroutines
		a.click("stepn")
	}
	before := a.shot("delve-0-before")
	if n := countColor(before, gui.SourceLineColor); n > 0 {
		t.Fatalf("%d pixels already have the stopped-line colour before any stop", n)
	}
	a.click("debug")
	stop := regexp.MustCompile(`delve: (breakpoint|stopped) at \S+:\d+ in \S+ \(decision \d+\)`)
	line := a.waitLog(stop, 1, 6*time.Minute)
	t.Logf("first stop: %s", line)
	if !strings.Contains(line, "/sched/") || !strings.Contains(line, "."+delve.DecisionFunc) {
		t.Fatalf("Step into stopped outside the decision function: %s", line)
	}
	img := a.waitHighlight("delve-1-stopped")
	a.rereadUIMap() // the pane's controls were hidden when the window started
	// The next call (the other hart, whose mask allows the thread
	// server's processes), then into its loop.
	a.click("dlv-continue")
	t.Logf("continue: %s", a.waitLog(stop, 2, time.Minute))
	for i := range 8 {
		a.click("dlv-next")
		t.Logf("next: %s", a.waitLog(stop, i+3, time.Minute))
	}
	time.Sleep(500 * time.Millisecond)
	after := a.waitHighlight("delve-2-stepped")
	if n := differ(img, after); n < 100 {
		t.Fatalf("Continue and Next changed only %d pixels", n)
	}
}

// rereadUIMap reads the control positions the app rewrites after each
// stop of the source pane.
func (a *xapp) rereadUIMap() {
	path := filepath.Join(a.dir, "ui.json")
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(path)
		var m map[string][2]int
		if err == nil && json.Unmarshal(b, &m) == nil && m["dlv-next"] != a.pos["dlv-next"] {
			a.pos = m
			return
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("the UI map was not rewritten with the source pane shown")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitHighlight waits for the highlighted source line to be on screen.
func (a *xapp) waitHighlight(name string) image.Image {
	deadline := time.Now().Add(time.Minute)
	for {
		img := a.shot(name)
		n := countColor(img, gui.SourceLineColor)
		if n >= 2000 {
			a.t.Logf("%s: %d pixels of the stopped line", name, n)
			return img
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("%s: %d pixels of the stopped-line colour, want ≥ 2000", name, n)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func TestDelveMissingUnderXvfb(t *testing.T) {
	a := startApp(t, "webserver", "COPSLAB_DLV="+filepath.Join(t.TempDir(), "no-dlv"))
	a.click("debug")
	msg := a.waitLog(regexp.MustCompile(`delve: .*not available.*`), 1, time.Minute)
	if !strings.Contains(msg, "make prereqs") {
		t.Fatalf("message does not say what to do: %s", msg)
	}
	time.Sleep(time.Second)
	shown := a.shot("delve-missing-0")
	a.click("step")
	a.click("step")
	waitChange(t, a.env, a.dir, "delve-missing-1-stepped", shown, 200)
}
