// Command memhog allocates memory until it is killed (or the runtime gives
// up with "fatal error: runtime: out of memory"), touching every page so
// the memory is really used, and reports progress every 16 MiB:
//
//	memhog: 16 MiB
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	step := flag.Int("step", 1, "MiB per allocation")
	flag.Parse()
	var hold [][]byte
	total := 0
	for {
		b := make([]byte, *step<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = byte(i >> 12)
		}
		hold = append(hold, b)
		total += *step
		if total%16 == 0 {
			fmt.Fprintf(os.Stdout, "memhog: %d MiB\n", total)
		}
	}
}
