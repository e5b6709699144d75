package main

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/spf13/pflag"

	"copslab/workbench/gui"
	"copslab/workbench/record"
)

// copslab render: draw one view of a recording to a PNG without a display.
func init() {
	register(&command{
		name:    "render",
		summary: "render a view of a recording to PNG: render --view timeline|tasks|states|queues|uintr run.rec -o shot.png",
		run:     runRender,
	})
}

func runRender(args []string) error {
	fs := pflag.NewFlagSet("render", pflag.ContinueOnError)
	view := fs.String("view", "timeline", "view to render: timeline, tasks, states, queues, uintr")
	out := fs.StringP("output", "o", "shot.png", "PNG file to write")
	at := fs.Duration("at", -1, "time cursor (virtual time; default: the end of the run)")
	w := fs.Int("width", 1200, "image width in pixels")
	h := fs.Int("height", 600, "image height in pixels")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: copslab render --view VIEW RUN.rec -o OUT.png")
	}
	if _, err := gui.NewView(*view); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "reading %s ...\n", fs.Arg(0))
	_, m, err := record.LoadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	cursor := m.End()
	if *at >= 0 {
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
