// Command copslab is the one binary of the workbench: with no arguments it
// opens the desktop window; otherwise the first argument names a subcommand.
// Each subcommand lives in its own file and registers itself in init.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"copslab/workbench/cmd/copslab/internal/cloc"
)

// Every imported package (Fyne included) is initialised by now: give
// programs copslab starts the user's locale variables back.
func init() { cloc.Restore() }

// command is one subcommand of copslab.
type command struct {
	name    string
	summary string                    // one line for the usage text
	run     func(args []string) error // args exclude the subcommand name
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("copslab: duplicate subcommand " + c.name)
	}
	commands[c.name] = c
}

// defaultCommand runs when copslab is started without arguments; the GUI
// file sets it to open the window.
var defaultCommand = "help"

func main() {
	name, args := defaultCommand, []string(nil)
	if len(os.Args) > 1 {
		name, args = os.Args[1], os.Args[2:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage(os.Stdout)
		return
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "copslab: unknown command %q\n\n", name)
		usage(os.Stderr)
		os.Exit(2)
	}
	os.Exit(exitCode(name, c.run(args), os.Stdout, os.Stderr))
}

// exitCode reports err the same way for every command and returns the
// exit status: 0 for success and --help, 2 for misuse, 1 otherwise.
func exitCode(name string, err error, stdout, stderr io.Writer) int {
	var help *helpRequest
	var bad *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		help.f.usage(stdout)
		return 0
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "copslab %s: %s\n\n", name, bad.msg)
		bad.f.usage(stderr)
		return 2
	}
	fmt.Fprintf(stderr, "copslab %s: %v\n", name, err)
	return 1
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: copslab [command] [flags]   (copslab COMMAND --help: its flags)\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
