// Command nilderef dereferences a nil pointer. On Linux (and on the copslab
// kernel) the fault becomes SIGSEGV, the Go runtime turns it into
//
//	panic: runtime error: invalid memory address or nil pointer dereference
//
// with a goroutine trace, and the process exits with status 2.
package main

import (
	"fmt"
	"os"
)

type node struct{ next *node }

// head is a package variable so the compiler cannot prove it nil and drop
// the load.
var head *node

func main() {
	fmt.Println("nilderef: dereferencing a nil pointer")
	os.Stdout.Sync()
	fmt.Println(head.next)
	fmt.Println("nilderef: not reached")
}
