package views_test

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"copslab/sched"
	"copslab/workbench/gui/views"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// tinyModel runs the built-in "tiny" sandbox scenario to its end.
func tinyModel(t testing.TB, scenario string) *model.Model {
	t.Helper()
	tg, err := target.OpenSandbox(scenario)
	if err != nil {
		t.Fatal(err)
	}
	d := session.New(tg)
	m := model.New()
	b, err := d.Start()
	for err == nil {
		b.ApplyTo(m)
		if b.Done {
			break
		}
		b, err = d.Step(1)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// capture renders obj alone in a test window of the given size.
func capture(obj fyne.CanvasObject, size fyne.Size) image.Image {
	w := test.NewWindow(obj)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(size)
	return w.Canvas().Capture()
}

// assertGolden compares img with testdata/name.png; -update rewrites it.
// A few differing pixels are tolerated (anti-aliasing across versions).
func assertGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *update {
		os.MkdirAll("testdata", 0o755)
		writePNG(t, path, img)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create the golden image)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff, total := pixelDiff(img, want); diff*1000 > total {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		writePNG(t, filepath.Join("testdata", "failed", name+".png"), img)
		t.Fatalf("%s: %d of %d pixels differ from the golden image; see testdata/failed/%s.png", name, diff, total, name)
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func pixelDiff(a, b image.Image) (diff, total int) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, 0
	}
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if absd(r1, r2)+absd(g1, g2)+absd(b1, b2) > 3*0x1000 {
				diff++
			}
			total++
		}
	}
	return diff, total
}

func absd(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestGoldens renders every view for the "tiny" scenario at its end and
// half-way, and compares with the golden images.
func TestGoldens(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.LightTheme())
	m := tinyModel(t, "tiny")
	mid := (m.Start() + m.End()) / 2
	for _, c := range []struct {
		name string
		view interface {
			fyne.CanvasObject
			views.View
		}
		size fyne.Size
	}{
		{"timeline", views.NewTimeline(), fyne.NewSize(900, 200)},
		{"tasks", views.NewTasks(), fyne.NewSize(720, 180)},
		{"states", views.NewStates(), fyne.NewSize(640, 400)},
		{"queues", views.NewQueues(), fyne.NewSize(640, 200)},
		{"uintr", views.NewWakeups(), fyne.NewSize(800, 300)},
	} {
		for _, at := range []struct {
			suffix string
			t      uint64
		}{{"", m.End()}, {"-mid", mid}} {
			c.view.Update(m, m.At(at.t), at.t)
			assertGolden(t, c.name+at.suffix, capture(c.view, c.size))
		}
	}
	// the queues while the first user interrupt is pending: the process
	// is boosted to p0 with nothing ready at p0.
	for _, e := range m.Events() {
		if e.Cause == sched.CauseUintrSend {
			v := views.NewQueues()
			v.Update(m, m.At(e.Time), e.Time)
			assertGolden(t, "queues-boost", capture(v, fyne.NewSize(640, 200)))
			break
		}
	}
}
