// Command hello prints a greeting and its arguments, one per line:
//
//	hello, world
//	arg 1: first
//
// It is the smallest user program: write, exit_group and the runtime's start-up.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello, world")
	for i, a := range os.Args[1:] {
		fmt.Printf("arg %d: %s\n", i+1, a)
	}
}
