package gui

import (
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/theme"

	"copslab/workbench/gui/views"
	"copslab/workbench/model"
)

// ViewNames lists the views RenderView knows.
var ViewNames = []string{"timeline", "tasks", "states", "queues", "uintr"}

// NewView returns the view called name.
func NewView(name string) (interface {
	fyne.CanvasObject
	views.View
}, error) {
	switch name {
	case "timeline":
		return views.NewTimeline(), nil
	case "tasks":
		return views.NewTasks(), nil
	case "states":
		return views.NewStates(), nil
	case "queues":
		return views.NewQueues(), nil
	case "uintr", "wakeups":
		return views.NewWakeups(), nil
	}
	return nil, fmt.Errorf("unknown view %q (have %s)", name, strings.Join(ViewNames, ", "))
}

// RenderView draws view name of m at cursor into an image of size pixels
// with Fyne's software renderer (no display needed). An app must exist
// (fyne.CurrentApp); the render command uses the test app.
func RenderView(name string, m *model.Model, cursor uint64, size fyne.Size) (image.Image, error) {
	v, err := NewView(name)
	if err != nil {
		return nil, err
	}
	fyne.CurrentApp().Settings().SetTheme(theme.LightTheme())
	v.Update(m, m.At(cursor), cursor)
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(v)
	c.Resize(size)
	return c.Capture(), nil
}
