//go:build copslab

// Command kmain is the copslab kernel: an ordinary Go program that
// kernel/build links into a bare-metal RISC-V image (see kernel/README.md).
package main

import "fmt"

func main() {
	fmt.Println("copslab kernel: hello")
	rtExit(0)
}
