//go:build !ci

package gui

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// fitScreen makes win fill the work area of the primary monitor (the
// screen minus panels) once the driver has started, instead of staying
// at its initial size: 1280×800 wastes a 1400×900 screen and does not fit
// a smaller one. Fyne has no monitor API; its desktop driver is GLFW, so
// this asks GLFW, on the main thread where the started hook runs.
func fitScreen(a fyne.App, win fyne.Window) {
	a.Lifecycle().SetOnStarted(func() {
		m := glfw.GetPrimaryMonitor()
		if m == nil {
			return
		}
		_, _, w, h := m.GetWorkarea()
		if w <= 0 || h <= 0 {
			return
		}
		sc := win.Canvas().Scale()
		if sc <= 0 {
			sc = 1
		}
		win.Resize(fyne.NewSize(float32(w)/sc, float32(h)/sc))
	})
}
