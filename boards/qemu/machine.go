package qemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// pipeGrace is how long Wait keeps reading output after the process exited
// before it closes the pipes anyway.
const pipeGrace = 2 * time.Second

// tailBytes is how much console output error messages quote.
const tailBytes = 2000

// Machine is a running (or finished) emulator process.
type Machine struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *console

	done    chan struct{} // closed once the process is reaped
	waitErr error         // from exec.Cmd.Wait; valid after done
	code    int           // exit code; -1 if killed by a signal

	mu     sync.Mutex // guards cursor
	cursor int        // Expect searches output from here
}

// Start runs binary with args. Cancelling ctx kills the process.
func Start(ctx context.Context, binary string, args []string) (*Machine, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	m := &Machine{cmd: cmd, out: newConsole(), done: make(chan struct{})}
	cmd.Stdout = m.out
	cmd.Stderr = m.out
	cmd.WaitDelay = pipeGrace
	// Own process group, killed as a whole: a terminal's Ctrl-C reaches
	// our parent, not QEMU, and a wrapper (go run, qemuboot) cannot leave
	// its QEMU behind. Where the system offers it, QEMU is also killed
	// when this process ends, however it ends (procAttr).
	cmd.SysProcAttr = procAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("qemu: stdin pipe: %w", err)
	}
	m.stdin = stdin
	// Linux sends the parent-death signal when the thread that forked
	// QEMU ends, not the process, and Go ends a thread whose locked
	// goroutine returns. So one goroutine, locked to its thread, starts
	// QEMU and reaps it: that thread lives exactly as long as QEMU does.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		m.reap()
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("qemu: start %s: %w", binary, err)
	}
	return m, nil
}

// reap waits for the process and records how it ended.
func (m *Machine) reap() {
	err := m.cmd.Wait()
	m.code = -1
	if st := m.cmd.ProcessState; st != nil {
		m.code = st.ExitCode()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		err = nil // a non-zero status is reported through the code
	}
	m.waitErr = err
	close(m.done)
	m.out.close()
}

// Output returns everything the process printed so far.
func (m *Machine) Output() string {
	s, _, _ := m.out.snapshot(0)
	return s
}

// Write sends p to the process's stdin (the guest console with -nographic).
func (m *Machine) Write(p []byte) (int, error) {
	select {
	case <-m.done:
		return 0, fmt.Errorf("qemu: write to console: process exited")
	default:
	}
	return m.stdin.Write(p)
}

// Expect waits until re matches the output printed after the previous
// successful Expect's match, and returns the match. It fails when timeout
// passes or the process exits without a match; the error quotes the tail
// of the console.
func (m *Machine) Expect(re *regexp.Regexp, timeout time.Duration) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	m.mu.Lock()
	defer m.mu.Unlock()
	for {
		text, changed, closed := m.out.snapshot(m.cursor)
		if loc := re.FindStringIndex(text); loc != nil {
			m.cursor += loc[1]
			return text[loc[0]:loc[1]], nil
		}
		if closed {
			return "", fmt.Errorf("qemu: %s exited (%s) before /%s/ appeared; console tail:\n%s",
				m.cmd.Path, m.exitDesc(), re, m.tail())
		}
		select {
		case <-changed:
		case <-deadline.C:
			return "", fmt.Errorf("qemu: /%s/ not seen within %v; console tail:\n%s", re, timeout, m.tail())
		}
	}
}

// exitDesc describes how the process ended; only valid after done.
func (m *Machine) exitDesc() string {
	if m.waitErr != nil {
		return m.waitErr.Error()
	}
	if m.cmd.ProcessState != nil {
		return m.cmd.ProcessState.String()
	}
	return fmt.Sprintf("code %d", m.code)
}

// tail returns the last tailBytes of output.
func (m *Machine) tail() string {
	s := m.Output()
	if len(s) > tailBytes {
		s = "…" + s[len(s)-tailBytes:]
	}
	return s
}

// Wait waits for the process to exit and returns its exit code (-1 when a
// signal killed it). err is set only if waiting itself failed.
func (m *Machine) Wait() (exitCode int, err error) {
	<-m.done
	return m.code, m.waitErr
}

// Done is closed when the process has exited and been reaped.
func (m *Machine) Done() <-chan struct{} { return m.done }

// Kill ends the process and everything in its process group with SIGKILL
// (if it still runs) and waits until it is reaped. It is safe to call more than once and after exit.
func (m *Machine) Kill() {
	select {
	case <-m.done:
		return
	default:
	}
	_ = killGroup(m.cmd.Process)
	<-m.done
}

// killGroup sends SIGKILL to p's process group (p leads it: Setpgid).
func killGroup(p *os.Process) error {
	if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err != nil {
		return p.Kill()
	}
	return nil
}

// Pid is the process id.
func (m *Machine) Pid() int { return m.cmd.Process.Pid }
