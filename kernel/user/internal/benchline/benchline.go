// Package benchline prints the one line format through which guest
// benchmark programs hand results to the experiment runner
// (workbench/bench) over the console:
//
//	BENCH web form=thread conns=8 requests=1234 mean_ns=56789
//
// "BENCH", the experiment's name, then key=value fields separated by
// single spaces; keys are lower-case words, values contain no spaces.
// The runner turns every line of one experiment into a CSV row.
package benchline

import (
	"fmt"
	"os"
	"strings"
)

// Emit prints one result line for experiment exp; kv alternates keys and
// values (any value printable with %v that has no spaces).
func Emit(exp string, kv ...any) {
	fmt.Fprint(os.Stdout, Format(exp, kv...))
}

// Format returns the line Emit prints, newline included.
func Format(exp string, kv ...any) string {
	var b strings.Builder
	b.WriteString("BENCH ")
	b.WriteString(exp)
	for i := 0; i+1 < len(kv); i += 2 {
		v := strings.ReplaceAll(fmt.Sprint(kv[i+1]), " ", "_")
		fmt.Fprintf(&b, " %v=%s", kv[i], v)
	}
	b.WriteByte('\n')
	return b.String()
}
