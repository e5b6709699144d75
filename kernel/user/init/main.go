// Command init is the first user process: it starts the shell on the
// console (its own standard input and output), waits for it, and exits with
// the shell's status — on the copslab kernel the exit of init powers the
// machine off with that status.
//
//	init: starting sh
//	... shell session ...
//	init: sh exited with status 0
//
// -sh names the shell (default: "sh" beside init itself).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	sh := flag.String("sh", filepath.Join(filepath.Dir(os.Args[0]), "sh"), "shell program")
	flag.Parse()
	fmt.Println("init: starting sh")
	cmd := exec.Command(*sh)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	status := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
		if status < 0 {
			status = 128 // killed by a signal
		}
	case err != nil:
		fmt.Printf("init: cannot start %s: %v\n", *sh, err)
		os.Exit(1)
	}
	fmt.Printf("init: sh exited with status %d\n", status)
	os.Exit(status)
}
