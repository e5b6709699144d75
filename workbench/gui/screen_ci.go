//go:build ci

package gui

import "fyne.io/fyne/v2"

// fitScreen does nothing without a display driver (-tags ci).
func fitScreen(fyne.App, fyne.Window) {}
