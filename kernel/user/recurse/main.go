// Command recurse recurses without end, as a student's missing base case
// does. Go grows the goroutine's stack by doubling it until the next
// doubling passes the 1 GB limit; on Linux with enough memory the
// runtime then reports
//
//	runtime: goroutine stack exceeds 1000000000-byte limit
//	fatal error: stack overflow
//
// and exits with status 2. On the copslab kernel the doubling that
// cannot fit the process's memory limit is refused (mmap ENOMEM), and
// the runtime ends the program with its own report instead:
//
//	fatal error: runtime: out of memory
//
// also with status 2 and the goroutine's stack (main.down frames).
package main

import "fmt"

var sink int

// down uses a little stack per call and never stops.
func down(n int) int {
	var pad [64]byte
	pad[n%len(pad)] = byte(n)
	if n < 0 { // never: n only grows
		return 0
	}
	return down(n+1) + int(pad[3])
}

func main() {
	fmt.Println("recurse: going down")
	sink = down(0)
	fmt.Println("recurse: FAIL: came back", sink)
}
