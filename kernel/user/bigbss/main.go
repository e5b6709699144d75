// Command bigbss has a 256 MiB zero array in .bss, as a program with a
// big lookup table or sieve does. On Linux the array costs nothing
// until touched; it touches one byte per MiB (256 pages) and checks
// that they read as zero first:
//
//	bigbss: 256 MiB array, 256 pages touched, sum 32640: ok
package main

import (
	"fmt"
	"os"
)

var big [256 << 20]byte

func main() {
	sum := 0
	for i := 0; i < len(big); i += 1 << 20 {
		if big[i] != 0 {
			fmt.Printf("bigbss: FAIL: byte %d is %d before it was written\n", i, big[i])
			os.Exit(1)
		}
		big[i] = byte(i >> 20)
	}
	for i := 0; i < len(big); i += 1 << 20 {
		sum += int(big[i])
	}
	fmt.Printf("bigbss: %d MiB array, %d pages touched, sum %d: ok\n", len(big)>>20, len(big)>>20, sum)
}
