// Command sh is a small shell for the copslab console. It reads one command
// per line (prompt "$ "), splits it on blanks (double quotes group words),
// and runs:
//
//	help              list the commands
//	exit [N]          leave with status N (default 0)
//	ps                list processes and threads with state and priority
//	kill PID [SIG]    send signal SIG (default 9) to PID; "$!" is the last
//	                  background job
//	[VAR=value...] NAME ARGS... [&]
//	                  run a program (a bare NAME is looked up beside sh, then
//	                  on $PATH) with the variables added to its environment;
//	                  "&" runs it in the background
//
// After a foreground program it prints "[exit N]" for a non-zero status and
// "[signal NAME]" when a signal ended it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	s := &shell{out: os.Stdout, bg: map[int]*job{}}
	in := bufio.NewScanner(os.Stdin)
	for {
		fmt.Fprint(s.out, "$ ")
		if !in.Scan() {
			fmt.Fprintln(s.out)
			os.Exit(s.status)
		}
		if done := s.line(in.Text()); done {
			os.Exit(s.status)
		}
	}
}

// split breaks a command line into words; double quotes keep blanks.
func split(line string) []string {
	var words []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range line {
		switch {
		case r == '"':
			inQuote, have = !inQuote, true
		case (r == ' ' || r == '\t') && !inQuote:
			if have {
				words = append(words, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		words = append(words, cur.String())
	}
	return words
}
