//go:build !ci

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"copslab/workbench/gui"
	"copslab/workbench/internal/testkernel"
)

// BenchmarkMakeRunFirstEvent measures what a student waits for after
// typing `make run` with everything already built once: make's
// prerequisites check, the warm kernel build, go build of copslab, QEMU's
// boot and the window's first paint — until the window's state file
// (written on every refresh) shows the kernel's first event. It runs the
// real make run under Xvfb, with the kernel written to a temporary path,
// ends it with SIGTERM to make's process group (as Ctrl-C would) and
// checks no QEMU of it is left.
//
//	go test -run '^$' -bench MakeRunFirstEvent -benchtime 3x ./workbench/cmd/copslab
func BenchmarkMakeRunFirstEvent(b *testing.B) {
	testkernel.Board(b)
	for _, bin := range []string{"Xvfb", "make"} {
		if _, err := exec.LookPath(bin); err != nil {
			b.Skipf("%s not installed", bin)
		}
	}
	root, err := filepath.Abs(testkernel.Root())
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	kernel := filepath.Join(dir, "kernel.elf")
	env := append(cLocaleEnv(b), "DISPLAY="+xvfb(b), "LIBGL_ALWAYS_SOFTWARE=1")
	makeRun := func(state string) *exec.Cmd {
		cmd := exec.Command("make", "--no-print-directory", "run", "KERNEL="+kernel)
		cmd.Dir = root
		cmd.Env = append(env, "COPSLAB_UI_STATE="+state)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // make, its shell and copslab: one group
		return cmd
	}
	// Warm up: the first make run builds the kernel and copslab.
	warm := filepath.Join(dir, "warm.json")
	runUntilFirstEvent(b, makeRun(warm), warm, kernel)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		state := filepath.Join(dir, "state.json")
		os.Remove(state)
		total += runUntilFirstEvent(b, makeRun(state), state, kernel)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/first-event")
}

// runUntilFirstEvent starts cmd (a make run) and returns the time until
// the window shows an event; then it ends the run and checks that no
// QEMU booting kernel survives it.
func runUntilFirstEvent(b *testing.B, cmd *exec.Cmd, state, kernel string) time.Duration {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(5 * time.Minute)
	var took time.Duration
	for took == 0 {
		select {
		case err := <-exited:
			b.Fatalf("make run ended before the first event (%v):\n%s", err, out.String())
		default:
		}
		if st, ok := uiState(state); ok && st.Events >= 1 {
			took = time.Since(start)
		} else if time.Now().After(deadline) {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
			b.Fatalf("no kernel event on screen within 5 min:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		b.Errorf("make run still ran 30 s after SIGTERM")
	}
	if pids := qemuOf(kernel, 10*time.Second); len(pids) > 0 {
		b.Fatalf("QEMU %v on %s survives make run", pids, kernel)
	}
	return took
}

// uiState reads the window's state file once.
func uiState(path string) (gui.UIState, bool) {
	var st gui.UIState
	b, err := os.ReadFile(path)
	return st, err == nil && json.Unmarshal(b, &st) == nil
}
