// Command memhog allocates memory until it is killed (or the runtime gives
// up with "fatal error: runtime: out of memory"), touching every page so
// the memory is really used, and reports progress every 16 MiB:
//
//	memhog: 16 MiB
//
// With -max N it stops after N MiB, checks every page it wrote and exits
// 0 (a program that needs N MiB):
//
//	memhog: holding 60 MiB: ok
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	step := flag.Int("step", 1, "MiB per allocation")
	limit := flag.Int("max", 0, "stop after this many MiB, check them and exit 0 (0: never stop)")
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
		if *limit > 0 && total >= *limit {
			break
		}
	}
	for _, b := range hold {
		for i := 0; i < len(b); i += 4096 {
			if b[i] != byte(i>>12) {
				fmt.Printf("memhog: FAIL: page %d of a block reads %d\n", i>>12, b[i])
				os.Exit(1)
			}
		}
	}
	fmt.Printf("memhog: holding %d MiB: ok\n", total)
}
