package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"copslab/kernel/uabi"
)

// shell is the interpreter state: the status of the last command and the
// background jobs not yet reaped.
type shell struct {
	out    io.Writer
	status int
	last   int // pid of the last background job, for "$!"
	bg     map[int]*job
}

type job struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// line runs one command line and reports whether the shell should exit.
func (s *shell) line(text string) bool {
	words := split(text)
	if len(words) == 0 {
		return false
	}
	for i, w := range words {
		if w == "$!" {
			words[i] = strconv.Itoa(s.last)
		}
	}
	switch words[0] {
	case "help":
		s.help()
	case "exit":
		s.status = 0
		if len(words) > 1 {
			n, err := strconv.Atoi(words[1])
			if err != nil {
				fmt.Fprintf(s.out, "exit: bad status %q\n", words[1])
				return false
			}
			s.status = n
		}
		return true
	case "ps":
		s.status = ps(s.out)
	case "kill":
		s.status = s.kill(words[1:])
	default:
		s.run(words)
	}
	return false
}

func (s *shell) help() {
	fmt.Fprint(s.out, `commands:
  help              this list
  exit [N]          leave the shell with status N
  ps                processes and threads: PID TID STATE PRIO NAME
  kill PID [SIG]    send signal SIG (default 9); $! is the last background job
  NAME ARGS... [&]  run a program, in the background with &
  VAR=value NAME    run a program with VAR set in its environment
`)
}

func (s *shell) kill(args []string) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprintln(s.out, "usage: kill PID [SIG]")
		return 2
	}
	pid, err := strconv.Atoi(args[0])
	if err != nil || pid <= 0 {
		fmt.Fprintf(s.out, "kill: bad pid %q\n", args[0])
		return 2
	}
	sig := 9
	if len(args) == 2 {
		if sig, err = strconv.Atoi(args[1]); err != nil || sig <= 0 || sig > 64 {
			fmt.Fprintf(s.out, "kill: bad signal %q\n", args[1])
			return 2
		}
	}
	if err := syscall.Kill(pid, syscall.Signal(sig)); err != nil {
		fmt.Fprintf(s.out, "kill: %d: %v\n", pid, err)
		return 1
	}
	if j := s.bg[pid]; j != nil {
		<-j.done
	}
	return 0
}

// lookup finds a program: a name with a slash is used as is; a bare name is
// tried beside the shell's own binary, then on $PATH.
func lookup(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	beside := filepath.Join(filepath.Dir(os.Args[0]), name)
	if st, err := os.Stat(beside); err == nil && !st.IsDir() {
		return beside, nil
	}
	return exec.LookPath(name)
}

// run starts [VAR=value...] NAME ARGS... [&]: the assignments are added to
// the program's environment (the shell's own stays as it is).
func (s *shell) run(words []string) {
	background := words[len(words)-1] == "&"
	if background {
		words = words[:len(words)-1]
	}
	vars, words := uabi.Assignments(words)
	if len(words) == 0 {
		fmt.Fprintln(s.out, "sh: name a program (VAR=value sets a variable for one program only)")
		s.status = 2
		return
	}
	path, err := lookup(words[0])
	if err != nil {
		fmt.Fprintf(s.out, "%s: not found\n", words[0])
		s.status = 127
		return
	}
	cmd := exec.Command(path, words[1:]...)
	cmd.Args[0] = words[0]
	if len(vars) > 0 {
		cmd.Env = append(os.Environ(), vars...) // a later entry wins (os/exec drops the earlier duplicate)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if background {
		cmd.Stdin = nil
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(s.out, "%s: %v\n", words[0], err)
		s.status = 126
		return
	}
	if !background {
		s.status = s.report(cmd.Wait())
		return
	}
	j := &job{cmd: cmd, done: make(chan struct{})}
	pid := cmd.Process.Pid
	s.bg[pid], s.last = j, pid
	fmt.Fprintf(s.out, "[started %d]\n", pid)
	go func() {
		status := s.report(cmd.Wait())
		fmt.Fprintf(s.out, "[done %d status %d]\n", pid, status)
		close(j.done)
	}()
}

// report prints how a foreground or background program ended and returns
// its shell status (128+signal for a signal, as sh does).
func (s *shell) report(err error) int {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if err != nil {
			fmt.Fprintf(s.out, "[error %v]\n", err)
			return 1
		}
		return 0
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		fmt.Fprintf(s.out, "[signal %v]\n", ws.Signal())
		return 128 + int(ws.Signal())
	}
	fmt.Fprintf(s.out, "[exit %d]\n", ee.ExitCode())
	return ee.ExitCode()
}
