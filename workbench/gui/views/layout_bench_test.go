package views_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/workbench/gui/views"
)

// BenchmarkViewUpdate measures one Update (rebuild and layout of the
// pooled objects) of each view at the end of the webserver scenario.
func BenchmarkViewUpdate(b *testing.B) {
	test.NewTempApp(b)
	m := tinyModel(b, "webserver")
	s := m.Now()
	for _, c := range []struct {
		name string
		v    interface {
			fyne.CanvasObject
			views.View
		}
	}{
		{"timeline", views.NewTimeline()}, {"tasks", views.NewTasks()}, {"states", views.NewStates()},
		{"queues", views.NewQueues()}, {"uintr", views.NewWakeups()},
	} {
		w := test.NewWindow(c.v)
		w.Resize(fyne.NewSize(1100, 600))
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.v.Update(m, s, m.End())
			}
		})
		w.Close()
	}
}
