//go:build !ci

package main

import (
	"path/filepath"
	"testing"
	"time"

	"copslab/workbench/gui"
)

// BenchmarkWindowRefresh256 measures how many times a second the real
// window (GL through Mesa under Xvfb) refreshes every view while running
// a scenario of 256 coroutines (testdata/s256.yaml: 4 processes × 64,
// two harts). The window asks for one refresh per 40 ms tick, so 25/s is
// the most it can show; each refresh writes the state file once.
//
//	go test -run '^$' -bench WindowRefresh256 -benchtime 1x ./workbench/cmd/copslab
func BenchmarkWindowRefresh256(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.ReportMetric(windowRefreshRate(b), "refresh/s")
	}
}

// windowRefreshRate runs the measurement; the window helpers want a
// *testing.T, so it runs as a test of its own.
func windowRefreshRate(b *testing.B) float64 {
	var rate float64
	ok := testing.RunTests(func(pat, str string) (bool, error) { return true, nil }, []testing.InternalTest{{
		Name: "WindowRefresh256",
		F: func(t *testing.T) {
			uiState := filepath.Join(t.TempDir(), "state.json")
			scen, _ := filepath.Abs("testdata/s256.yaml")
			a := startAppArgs(t, []string{"gui", "--scenario", scen}, "COPSLAB_UI_STATE="+uiState)
			readUIState(t, uiState, "the first decision", func(s gui.UIState) bool { return s.Events > 0 })
			a.click("run")
			st0 := readUIState(t, uiState, "running", func(s gui.UIState) bool { return s.Running })
			t0 := time.Now()
			time.Sleep(5 * time.Second)
			st1 := readUIState(t, uiState, "still running", func(s gui.UIState) bool { return s.Writes > st0.Writes })
			rate = float64(st1.Writes-st0.Writes) / time.Since(t0).Seconds()
			if len(st1.Tasks) != 256 {
				t.Errorf("%d tasks, want 256", len(st1.Tasks))
			}
		},
	}})
	if !ok {
		b.Fatal("window measurement failed")
	}
	return rate
}
