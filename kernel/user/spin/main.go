// Command spin loops forever without system calls, so only timer
// preemption by the kernel lets other processes run. It prints one line
// first so a test knows it started.
package main

import "fmt"

var counter uint64

func main() {
	fmt.Println("spin: spinning")
	for {
		counter++
	}
}
