package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copslab/workbench/export"
	"copslab/workbench/record"
)

// TestRecordExportRender runs the CLI path end to end on the built-in
// tiny scenario: record, reopen, export to Perfetto JSON (tracks, slices,
// counters and flows present) and render a view to PNG.
func TestRecordExportRender(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	rec := filepath.Join(dir, "run.rec")
	if err := runRecord([]string{"--target", "sandbox", "--scenario", "tiny", "--for", "1s", "-o", rec}); err != nil {
		t.Fatal(err)
	}
	meta, m, err := record.LoadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Target != "sandbox" || meta.Scenario != "tiny" || m.Len() != 20 {
		t.Fatalf("meta %+v, %d events", meta, m.Len())
	}
	js := filepath.Join(dir, "out.json")
	if err := runExport([]string{rec, "--perfetto", js}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var tr export.Trace
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	tracks := map[string]bool{}
	for _, e := range tr.TraceEvents {
		count[e.Ph]++
		if e.FlowOut {
			count["flow_out"]++
		}
		if e.FlowIn {
			count["flow_in"]++
		}
		if e.Name == "thread_name" {
			tracks[e.Args["name"].(string)] = true
		}
	}
	if !tracks["reader #16640"] || !tracks["worker #16641"] || !tracks["hart 0"] {
		t.Errorf("tracks %v", tracks)
	}
	// reader: Ready, Running, Blocked, Ready, Running, Blocked, Ready, Running; worker: Ready, Running, Ready, Running.
	if count["X"] < 12 || count["C"] == 0 || count["flow_out"] != 2 || count["flow_in"] != 2 {
		t.Errorf("phases %v", count)
	}
	png1 := filepath.Join(dir, "q.png")
	if err := runRender([]string{"--view", "queues", rec, "-o", png1, "--at", "11us", "--width", "500", "--height", "200"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(png1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() != 500 {
		t.Fatalf("render: %v %v", err, img.Bounds())
	}
	if err := runRender([]string{"--view", "pie", rec}); err == nil || !strings.Contains(err.Error(), "unknown view") {
		t.Errorf("bad view: %v", err)
	}
	os.WriteFile(rec, []byte("COPSREC\x00garbage"), 0o644)
	if err := runExport([]string{rec, "--perfetto", js}); err == nil || !strings.Contains(err.Error(), "recording") {
		t.Errorf("corrupt recording: %v", err)
	}
}

func TestGUIWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := runGUI(nil); err == nil || !strings.Contains(err.Error(), "no display") {
		t.Fatalf("err = %v", err)
	}
}
