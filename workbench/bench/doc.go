// Package bench runs the paper's experiments on the copslab kernel and
// writes what they measured beside what the paper reports.
//
// Each experiment (experiments.go) is a list of boots of the kernel in
// QEMU, each running one guest program with its arguments
// (-append "run PROG ARGS"). The guest programs print their results as
// BENCH lines (line.go; kernel/user/internal/benchline prints them), one
// line per measurement, and the runner (runner.go) collects every line of
// an experiment into one CSV file, one column per key. Programs that
// predate the format (coyield, coprio) are read through a small
// converter from their own lines to the same records.
//
// Every boot runs with -icount shift=0: QEMU retires one instruction per
// nanosecond of guest time, so guest clocks, latencies and instruction
// counts are the same on an idle host and on a loaded one. The host's
// load changes only how long a run takes on the wall clock. That is why
// the short mode (Short) can be a test in make test: it checks that every
// experiment ran and that its CSV and PNG files are well formed, never a
// speed.
//
// Beside each measured curve the plots (plot.go) draw the paper's
// figures (paper.go) where the paper has them; the model (model.go)
// replays the web server in the sandbox with costs calibrated from the
// kernel's measured switch costs and reports its prediction beside the
// measurement and the error. Report (report.go) writes the results
// table that the README quotes.
package bench
