package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"copslab/workbench/bench"
)

// copslab bench: the paper's experiments on the kernel in QEMU.
func init() {
	register(&command{
		name:    "bench",
		summary: "run the paper's experiments on the kernel (QEMU, -icount): bench --mode short --out out/bench",
		run:     func(args []string) error { return runBench(args, os.Stdout) },
	})
}

func runBench(args []string, w io.Writer) error {
	fs := newFlags("bench", "copslab bench [--mode short|full] [--out DIR] [--only NAME,…]")
	fs.notes = `Builds a kernel with the experiments' guest programs, boots it in QEMU
(-icount shift=0, so every number is guest time and does not depend on the
host's load) once per measurement, and writes DIR/NAME.csv and DIR/*.png per
experiment and DIR/results.md (the table the README quotes). Experiments: ` + strings.Join(bench.Names(), ", ") + `.
BENCH=short in the environment is the same as --mode short.`
	mode := fs.String("mode", "full", "short (a few points, minutes) or full (every point)")
	out := fs.String("out", "out/bench", "directory for the results")
	only := fs.StringSlice("only", nil, "run only these experiments")
	if err := fs.parse(args, 0); err != nil {
		return err
	}
	if !fs.Changed("mode") && os.Getenv("BENCH") != "" {
		*mode = os.Getenv("BENCH")
	}
	if *mode != string(bench.Short) && *mode != string(bench.Full) {
		return fs.bad(fmt.Sprintf("--mode %q: want short or full", *mode))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	results, err := bench.Run(ctx, bench.Options{Mode: bench.Mode(*mode), Out: *out, Only: *only,
		Progress: func(f string, a ...any) { fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...) }})
	if err != nil {
		return err
	}
	md := filepath.Join(*out, "results.md")
	f, err := os.Create(md)
	if err != nil {
		return err
	}
	bench.Report(f, bench.Mode(*mode), results)
	if err := f.Close(); err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		fmt.Fprintf(w, "%-10s %3d results, %d failed boots: %s %s\n", r.Exp.Name, len(r.Records), len(r.Failed), r.CSV, strings.Join(r.PNGs, " "))
		failed += len(r.Failed)
	}
	fmt.Fprintf(w, "report: %s\n", md)
	if failed > 0 {
		fmt.Fprintf(w, "%d boots failed (listed in the report)\n", failed)
	}
	return nil
}
