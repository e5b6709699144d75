package main

import (
	"fmt"
	"os"

	"copslab/workbench/export"
	"copslab/workbench/record"
)

// copslab export: convert a recording for other tools.
func init() {
	register(&command{
		name:    "export",
		summary: "export a recording: export RUN.rec --perfetto OUT.json",
		run:     runExport,
	})
}

func runExport(args []string) error {
	fs := newFlags("export", "copslab export RUN.rec --perfetto OUT.json")
	fs.notes = "RUN.rec is a recording made by copslab record; open OUT.json in ui.perfetto.dev."
	out := fs.String("perfetto", "", "write a Chrome/Perfetto JSON trace to this file (required)")
	if err := fs.parse(args, 1); err != nil {
		return err
	}
	if *out == "" {
		return fs.bad("--perfetto OUT.json is required")
	}
	fmt.Fprintf(os.Stderr, "reading %s ...\n", fs.Arg(0))
	_, m, err := record.LoadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(os.Stderr, "writing %s (%d events) ...\n", *out, m.Len())
	if err := export.Perfetto(f, m); err != nil {
		return fmt.Errorf("%s: %w", *out, err)
	}
	return f.Close()
}
