package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"copslab/workbench/gui"
	"copslab/workbench/record"
)

// copslab render: draw one view of a recording to a PNG without a display.
func init() {
	register(&command{
		name:    "render",
		summary: "render a view of a recording to PNG: render RUN.rec --view VIEW -o OUT.png",
		run:     runRender,
	})
}

func runRender(args []string) error {
	fs := newFlags("render", "copslab render RUN.rec [--view VIEW] [-o OUT.png] [--at T]")
	fs.notes = "RUN.rec is a recording made by copslab record. Needs no display (Fyne's software renderer)."
	view := fs.String("view", "timeline", "view to render: timeline, tasks, states, queues, uintr")
	out := fs.StringP("output", "o", "shot.png", "PNG file to write")
	at := fs.Duration("at", 0, "time cursor in virtual time, e.g. 200us (default: the end of the run)")
	w := fs.Int("width", 1200, "image width in pixels")
	h := fs.Int("height", 600, "image height in pixels")
	if err := fs.parse(args, 1); err != nil {
		return err
	}
	if _, err := gui.NewView(*view); err != nil {
		return fs.bad(err.Error())
	}
	if *at < 0 || *w <= 0 || *h <= 0 {
		return fs.bad("--at, --width and --height must not be negative")
	}
	fmt.Fprintf(os.Stderr, "reading %s ...\n", fs.Arg(0))
	_, m, err := record.LoadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	cursor := m.End()
	if fs.Changed("at") {
		cursor = uint64(time.Duration(*at))
	}
	test.NewApp() // software rendering needs an app, not a display
	var img image.Image
	done := make(chan struct{})
	go func() { // Fyne wants UI calls off the main goroutine when no driver loop runs
		defer close(done)
		img, err = gui.RenderView(*view, m, cursor, fyne.NewSize(float32(*w), float32(*h)))
	}()
	<-done
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		return fmt.Errorf("%s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%s view, %dx%d, cursor %s)\n", *out, *view, img.Bounds().Dx(), img.Bounds().Dy(), time.Duration(cursor))
	return f.Close()
}
