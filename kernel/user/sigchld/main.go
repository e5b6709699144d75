// Command sigchld asks to be told when a child ends (signal.Notify with
// SIGCHLD), starts osinfo beside itself and waits for the signal:
//
//	sigchld: child exited with 0, SIGCHLD received
//	sigchld: ok
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGCHLD)
	cmd := exec.Command(filepath.Join(filepath.Dir(os.Args[0]), "osinfo"))
	if err := cmd.Run(); err != nil {
		fmt.Printf("sigchld: FAIL: running osinfo: %v\n", err)
		os.Exit(1)
	}
	select {
	case s := <-c:
		if s != syscall.SIGCHLD {
			fmt.Printf("sigchld: FAIL: got %v\n", s)
			os.Exit(1)
		}
		fmt.Printf("sigchld: child exited with %d, SIGCHLD received\n", cmd.ProcessState.ExitCode())
	case <-time.After(10 * time.Second):
		fmt.Println("sigchld: FAIL: no SIGCHLD 10 s after the child exited")
		os.Exit(1)
	}
	fmt.Println("sigchld: ok")
}
