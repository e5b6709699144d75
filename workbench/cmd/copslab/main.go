// Command copslab is the one binary of the workbench: with no arguments it
// opens the desktop window; otherwise the first argument names a subcommand.
// Each subcommand lives in its own file and registers itself in init.
package main

import (
	"fmt"
	"os"
	"sort"
)

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
		usage()
		return
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "copslab: unknown command %q\n\n", name)
		usage()
		os.Exit(2)
	}
	if err := c.run(args); err != nil {
		fmt.Fprintf(os.Stderr, "copslab %s: %v\n", name, err)
		os.Exit(1)
	}
}

func usage() {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: copslab [command] [flags]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
}
