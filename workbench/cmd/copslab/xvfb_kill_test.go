//go:build !ci

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"copslab/workbench/gui"
	"copslab/workbench/internal/testkernel"
)

// TestKernelWindowEndsItsQEMU ends a window on the running kernel the
// ways a session ends badly and checks the QEMU it started goes with it:
// a test's cleanup (SIGTERM, as after a failure; the window closes the
// target as it quits), SIGKILL (no cleanup of ours runs: the parent-death
// signal), and the X display going away under it.
func TestKernelWindowEndsItsQEMU(t *testing.T) {
	testkernel.Board(t)
	kernel := testkernel.Build(t)
	for _, c := range []struct {
		name string
		end  func(a *xapp)
	}{
		{"cleanup", func(a *xapp) { a.cleanup() }},
		{"SIGKILL", func(a *xapp) { a.end(syscall.SIGKILL, time.Minute) }},
		{"display lost", func(a *xapp) {
			if p, ok := xservers.Load(a.display); ok {
				p.(*os.Process).Kill()
			}
			select { // the window dies with its display, or is ended
			case <-a.exited:
			case <-time.After(10 * time.Second):
				a.end(syscall.SIGTERM, 30*time.Second)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			uiState := filepath.Join(t.TempDir(), "state.json")
			a := startAppArgs(t, []string{"gui", "--target", "qemu", "--kernel", kernel, "--board", testkernel.BoardPath(),
				"--append", "run pipeping -n 100000000"}, // runs far longer than the test
				"COPSLAB_UI_STATE="+uiState)
			// Run (on a busy host the boot may not reach its first
			// decision within the window's first step).
			readUIState(t, uiState, "the window", func(s gui.UIState) bool { return s.Writes >= 1 })
			a.click("run")
			readUIState(t, uiState, "the kernel running", func(s gui.UIState) bool { return s.Running && s.Events >= 1 })
			qemus := qemuChildren(a.cmd.Process.Pid)
			if len(qemus) != 1 {
				t.Fatalf("copslab (pid %d) has QEMU children %v, want one", a.cmd.Process.Pid, qemus)
			}
			c.end(a)
			deadline := time.Now().Add(20 * time.Second)
			for running(qemus[0]) {
				if time.Now().After(deadline) {
					syscall.Kill(-qemus[0], syscall.SIGKILL)
					t.Fatalf("QEMU %d still runs 20 s after copslab ended (%v)", qemus[0], a.exitErr)
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("copslab ended (%v); its QEMU %d is gone", a.exitErr, qemus[0])
		})
	}
}
