// Command pipeping starts a second copy of itself with os/exec and bounces
// numbered lines between the two processes over a pair of pipes:
//
//	pipeping: 100 round trips ok
//
// The child (started as "pipeping child") answers "ping N" with "pong N"
// until its input ends. -self names the program to start as the child
// (default: os.Args[0]).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child(os.Stdin, os.Stdout)
		return
	}
	self := flag.String("self", os.Args[0], "program to run as the child")
	rounds := flag.Int("n", 100, "round trips")
	flag.Parse()
	if err := parent(*self, *rounds); err != nil {
		fmt.Printf("pipeping: FAIL %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("pipeping: %d round trips ok\n", *rounds)
}

func parent(self string, rounds int) error {
	cmd := exec.Command(self, "child")
	cmd.Stderr = os.Stderr
	w, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	in := bufio.NewReader(r)
	for i := 0; i < rounds; i++ {
		if _, err := fmt.Fprintf(w, "ping %d\n", i); err != nil {
			return err
		}
		line, err := in.ReadString('\n')
		if err != nil {
			return fmt.Errorf("round %d: %v", i, err)
		}
		if want := fmt.Sprintf("pong %d\n", i); line != want {
			return fmt.Errorf("round %d: got %q, want %q", i, line, want)
		}
	}
	w.Close()
	return cmd.Wait()
}

func child(r io.Reader, w io.Writer) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		n, ok := strings.CutPrefix(sc.Text(), "ping ")
		if !ok {
			fmt.Fprintf(os.Stderr, "pipeping child: unexpected %q\n", sc.Text())
			os.Exit(1)
		}
		fmt.Fprintf(w, "pong %s\n", n)
	}
}
