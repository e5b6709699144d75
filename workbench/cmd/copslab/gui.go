package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2/app"

	"copslab/workbench/config"
	"copslab/workbench/gui"
	"copslab/workbench/record"
)

// copslab gui (the default command) and copslab open: the window.
func init() {
	defaultCommand = "gui"
	register(&command{
		name:    "gui",
		summary: "open the workbench window on the configured target (the default)",
		run:     runGUI,
	})
	register(&command{
		name:    "open",
		summary: "open a recording in the workbench window: open RUN.rec",
		run:     runOpen,
	})
}

// checkDisplay turns GLFW's panic on a missing X/Wayland display into an
// error that says what to do.
func checkDisplay() error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no display: set DISPLAY (e.g. run under Xvfb), or use the headless commands record, export and render")
		}
	}
	return nil
}

func runGUI(args []string) error {
	fs := newFlags("gui", "copslab gui [--scenario FILE|NAME]")
	config.AddFlags(fs.FlagSet)
	if err := fs.parse(args, 0); err != nil {
		return err
	}
	if err := checkDisplay(); err != nil {
		return err
	}
	cfg, err := config.Load(fs.FlagSet)
	if err != nil {
		return err
	}
	tg, notice, err := openTarget(cfg)
	if err != nil {
		return err
	}
	info := tg.Info()
	a := app.NewWithID("org.copslab.workbench")
	gui.LessonsDir = cfg.String("lessons.dir")
	gui.ShowNotice(a, fmt.Sprintf("copslab — %s: %s", info.Kind, info.Name), notice, tg, nil)
	return nil
}

func runOpen(args []string) error {
	fs := newFlags("open", "copslab open RUN.rec")
	fs.notes = "RUN.rec is a recording made by copslab record; the window scrubs it (no run controls)."
	if err := fs.parse(args, 1); err != nil {
		return err
	}
	file := fs.Arg(0)
	meta, m, err := record.LoadFile(file)
	if err != nil {
		return err
	}
	if err := checkDisplay(); err != nil {
		return err
	}
	a := app.NewWithID("org.copslab.workbench")
	gui.Show(a, fmt.Sprintf("copslab — recording %s (%s: %s)", file, meta.Target, meta.Scenario), nil, m)
	return nil
}
