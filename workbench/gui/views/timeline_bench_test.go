package views

import (
	"image"
	"sync"
	"testing"

	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
)

var (
	bigOnce  sync.Once
	bigModel *model.Model
)

// big returns a model of 1,000,000 synthetic events: 8 processes × 16
// coroutines on 4 harts.
func big() *model.Model {
	bigOnce.Do(func() {
		bigModel = model.New()
		bigModel.Add(modeltest.Gen{Procs: 8, Cos: 16, Harts: 4, Seed: 1}.Events(1_000_000)...)
	})
	return bigModel
}

// BenchmarkTimelineFrame measures one full timeline frame (1600×900
// pixels) over 1M events, fitted to the whole run and zoomed in to 1%.
func BenchmarkTimelineFrame(b *testing.B) {
	m := big()
	img := image.NewRGBA(image.Rect(0, 0, 1600, 900))
	s, e := float64(m.Start()), float64(m.End())
	for _, c := range []struct {
		name   string
		t0, t1 float64
	}{{"all", s, e}, {"zoom1pct", s + (e-s)*0.5, s + (e-s)*0.51}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DrawTimeline(img, m, Params{T0: c.t0, T1: c.t1, Scale: 1, Cursor: uint64((c.t0 + c.t1) / 2)})
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
		})
	}
}

// TestWalkMarksPaintsEveryColumnOnce checks the pixel walk against a
// direct computation: each column shows the state in force at its left
// edge.
func TestWalkMarksMatchesDirect(t *testing.T) {
	m := model.New()
	m.Add(modeltest.Gen{Procs: 2, Cos: 3, Harts: 1, Seed: 5}.Events(5000)...)
	l := &m.Lanes()[0]
	for _, w := range []int{37, 300, 5000} {
		f := &frame{img: image.NewRGBA(image.Rect(0, 0, w, 1)), x0: 0, w: w, t0: float64(m.Start()), t1: float64(m.End())}
		got := make([]int, w)
		for i := range got {
			got[i] = -1
		}
		walkMarks(f, len(l.Marks), l.Index(uint64(f.t0)), m.End(), func(i int) uint64 { return l.Marks[i].T }, func(i, xa, xb int) {
			for x := xa; x < xb && x < w; x++ {
				if got[x] != -1 {
					t.Fatalf("w=%d: column %d painted twice", w, x)
				}
				got[x] = i
			}
		})
		for x := 0; x < w; x++ {
			tm := f.tAt(x)
			want := l.Index(uint64(tm))
			if uint64(tm) < uint64(f.t0) || want < 0 {
				continue
			}
			// the painted mark must be in force somewhere in the column
			if got[x] < 0 || (got[x] != want && l.Marks[got[x]].T > uint64(f.tAt(x+1))) {
				t.Fatalf("w=%d col %d: painted mark %d, in force at left edge %d", w, x, got[x], want)
			}
		}
	}
}
