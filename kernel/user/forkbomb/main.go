// Command forkbomb starts copies of itself (os/exec: vfork + execve)
// that wait for their standard input to close, until starting one fails
// or -max are running, then lets them all go and checks that every one
// exited with 0 — none was killed for the others' memory:
//
//	forkbomb: 120 children, then: fork/exec /bin/forkbomb: cannot allocate memory
//	forkbomb: all 120 exited with 0
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
)

func main() {
	child := flag.Bool("child", false, "wait for stdin to close, then exit 0")
	max := flag.Int("max", 1000, "stop after this many children")
	flag.Parse()
	if *child {
		io.Copy(io.Discard, os.Stdin)
		return
	}
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	var kids []*exec.Cmd
	var pipes []io.WriteCloser
	var why error
	for len(kids) < *max {
		cmd := exec.Command(self, "-child")
		in, err := cmd.StdinPipe()
		if err != nil {
			why = err
			break
		}
		if err := cmd.Start(); err != nil {
			in.Close()
			why = err
			break
		}
		kids = append(kids, cmd)
		pipes = append(pipes, in)
	}
	fmt.Printf("forkbomb: %d children, then: %v\n", len(kids), why)
	for _, in := range pipes {
		in.Close()
	}
	bad := 0
	for _, cmd := range kids {
		if err := cmd.Wait(); err != nil {
			fmt.Printf("forkbomb: child %d: %v\n", cmd.Process.Pid, err)
			bad++
		}
	}
	if bad > 0 {
		fmt.Printf("forkbomb: FAIL: %d of %d children did not exit with 0\n", bad, len(kids))
		os.Exit(1)
	}
	fmt.Printf("forkbomb: all %d exited with 0\n", len(kids))
}
