// Command execer runs the hello program with os/exec, checks its output and
// exit status, and checks that starting a missing program fails cleanly:
//
//	execer: hello said "hello, world" + 2 args, exit 0
//	execer: missing program: error ok
//	execer: ok
//
// -hello names the program (default: "hello" beside execer itself).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	hello := flag.String("hello", filepath.Join(filepath.Dir(os.Args[0]), "hello"), "hello program")
	flag.Parse()
	if err := check(*hello); err != nil {
		fmt.Printf("execer: FAIL %v\n", err)
		os.Exit(1)
	}
	fmt.Println("execer: ok")
}

func check(hello string) error {
	out, err := exec.Command(hello, "one", "two words").Output()
	if err != nil {
		return fmt.Errorf("run %s: %v", hello, err)
	}
	want := "hello, world\narg 1: one\narg 2: two words\n"
	if string(out) != want {
		return fmt.Errorf("hello printed %q, want %q", out, want)
	}
	fmt.Println(`execer: hello said "hello, world" + 2 args, exit 0`)

	missing := filepath.Join(filepath.Dir(hello), "no-such-program")
	if err := exec.Command(missing).Run(); err == nil {
		return fmt.Errorf("running %s succeeded", missing)
	}
	fmt.Println("execer: missing program: error ok")
	return nil
}
