package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"copslab/workbench/export"
	"copslab/workbench/record"
)

// copslab export: convert a recording for other tools.
func init() {
	register(&command{
		name:    "export",
		summary: "export a recording: export run.rec --perfetto out.json",
		run:     runExport,
	})
}

func runExport(args []string) error {
	fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
	out := fs.String("perfetto", "", "write a Chrome/Perfetto JSON trace to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return errors.New("usage: copslab export RUN.rec --perfetto OUT.json")
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
