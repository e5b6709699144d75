package gui

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestExperimentsTab: the tab shows each results CSV as a table and the
// experiment's plots under it; with no results it says how to make them;
// Reload picks up files written since.
func TestExperimentsTab(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	tab := newExperimentsTab(dir)
	if got := labels(tab); !strings.Contains(got, "make bench") {
		t.Fatalf("empty directory: %q", got)
	}
	os.WriteFile(filepath.Join(dir, "web.csv"), []byte("form,conns,mean_ns\nthread,8,500000\ngoroutine,8,566000\n"), 0o644)
	for _, n := range []string{"web-latency.png", "web-requests.png", "other.png"} {
		f, _ := os.Create(filepath.Join(dir, n))
		png.Encode(f, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		f.Close()
	}
	tab.load()
	got := labels(tab)
	for _, want := range []string{"web", "form", "goroutine  8", "566000"} {
		if !strings.Contains(got, want) {
			t.Errorf("the tab lacks %q:\n%s", want, got)
		}
	}
	imgs := 0
	for _, o := range tab.body.Objects {
		if _, ok := o.(*canvas.Image); ok {
			imgs++
		}
	}
	if imgs != 2 {
		t.Errorf("%d plots shown, want web's 2", imgs)
	}
}

func labels(tab *experimentsTab) string {
	var b strings.Builder
	for _, o := range tab.body.Objects {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}
