package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// Every subcommand takes GNU-style flags (--name value, --name=value, a
// few one-letter -x shorthands) through newFlags, and reports misuse
// through the errors below so main answers all commands the same way:
// --help prints the usage on stdout and exits 0; a bad flag or argument
// prints the problem and the usage on stderr and exits 2; any other error
// exits 1.

// flags is a subcommand's flag set with its synopsis.
type flags struct {
	*pflag.FlagSet
	synopsis string // e.g. "copslab export RUN.rec --perfetto OUT.json"
	notes    string // optional text after the flags
}

func newFlags(name, synopsis string) *flags {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // main prints errors and usage
	fs.Usage = func() {}
	return &flags{FlagSet: fs, synopsis: synopsis}
}

// usage writes the synopsis and the flags.
func (f *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n", f.synopsis)
	if f.HasFlags() {
		fmt.Fprintf(w, "\nflags:\n%s", f.FlagUsages())
	}
	if f.notes != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(f.notes))
	}
}

// parse parses args; with want >= 0 it also checks the number of
// positional arguments.
func (f *flags) parse(args []string, want int) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return &helpRequest{f}
		}
		return &usageError{f, err.Error()}
	}
	if want >= 0 && f.NArg() != want {
		return f.bad(fmt.Sprintf("want %d argument(s), got %d", want, f.NArg()))
	}
	return nil
}

// bad reports misuse found after parsing.
func (f *flags) bad(msg string) error { return &usageError{f, msg} }

// helpRequest: the user asked for the usage (exit 0).
type helpRequest struct{ f *flags }

func (h *helpRequest) Error() string { return "help requested" }

// usageError: bad flags or arguments (exit 2, usage on stderr).
type usageError struct {
	f   *flags
	msg string
}

func (u *usageError) Error() string { return u.msg }
