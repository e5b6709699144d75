package gui_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/workbench/gui"
	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
)

// BenchmarkLiveRefresh256 measures one live refresh of the whole window
// with 256 tasks (4 processes × 64 coroutines, one hart, as a busy
// kernel): a batch of 500 new events goes into the model and every view
// is updated for the live end ("update"); "paint" also draws the whole
// 1280×800 window with Fyne's software renderer (the real window draws
// with OpenGL, so this is an upper bound). refresh/s = how many such
// refreshes a second can hold; the window asks for one per 40 ms tick.
//
//	go test -run '^$' -bench LiveRefresh256 -benchtime 50x ./workbench/gui
func BenchmarkLiveRefresh256(b *testing.B) {
	b.Run("update", func(b *testing.B) { liveRefresh(b, false) })
	b.Run("paint", func(b *testing.B) { liveRefresh(b, true) })
}

func liveRefresh(b *testing.B, paint bool) {
	test.NewTempApp(b)
	evs := modeltest.Gen{Procs: 4, Cos: 64, Harts: 1, Seed: 3}.Events(20000 + 500*b.N)
	m := model.New()
	m.Add(evs[:20000]...)
	u := gui.New(nil, m, func(f func()) { f() })
	w := test.NewWindow(u.Content())
	w.Resize(fyne.NewSize(1280, 800))
	defer w.Close()
	if n := len(m.Now().Cos); n != 256 {
		b.Fatalf("%d tasks", n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := 20000 + 500*i
		m.Add(evs[at : at+500]...)
		u.C.Follow()
		if paint {
			w.Canvas().Capture()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "refresh/s")
}
