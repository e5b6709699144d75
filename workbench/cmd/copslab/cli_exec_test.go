//go:build !ci

package main

// These tests run the built copslab binary the way a user does, under
// LANG=C.UTF-8 (Debian's default locale), and check exit codes and what
// lands on stdout and stderr.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"copslab/workbench/internal/testkernel"
)

var (
	buildOnce sync.Once
	builtExe  string
	buildErr  error
	buildDir  string
)

// copslabExe builds the binary once per test run and returns its path.
func copslabExe(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "copslab-exe-")
		if buildErr != nil {
			return
		}
		builtExe = filepath.Join(buildDir, "copslab")
		out, err := exec.Command("go", "build", "-o", builtExe, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return builtExe
}

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// cLocaleEnv is the environment with LANG=C.UTF-8 deciding the locale.
func cLocaleEnv(t testing.TB) []string {
	var env []string
	for _, e := range os.Environ() {
		name, _, _ := strings.Cut(e, "=")
		switch name {
		case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "XDG_CONFIG_HOME":
			continue
		}
		env = append(env, e)
	}
	return append(env, "LANG=C.UTF-8", "XDG_CONFIG_HOME="+t.TempDir())
}

// run runs copslab with args and returns its exit code, stdout, stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(copslabExe(t), args...)
	cmd.Env = cLocaleEnv(t)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("copslab %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), o.String(), e.String()
}

// TestCLIUnderCLocale: help is on stdout with exit 0 for every command,
// misuse exits 2 with the usage on stderr, and Fyne says nothing about
// the locale.
func TestCLIUnderCLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	code, out, errs := run(t, "--help")
	if code != 0 || !strings.Contains(out, "commands:") || errs != "" {
		t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = run(t, "sandbox", "list")
	if code != 0 || !strings.Contains(out, "webserver") || errs != "" {
		t.Errorf("sandbox list: exit %d, stderr %q", code, errs)
	}
	idle := []string{"--host", "--gdb-port", "--lessons"}
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"export", []string{"usage: copslab export RUN.rec", "--perfetto"}},
		{"render", []string{"usage: copslab render RUN.rec", "--view", "--at duration", "default: the end of the run"}},
		{"open", []string{"usage: copslab open RUN.rec"}},
		{"record", []string{"usage: copslab record", "--scenario", "--for", "--output", "--kernel", "--append", "--attach"}},
		{"gui", []string{"usage: copslab gui", "--scenario"}},
		{"config", []string{"usage: copslab config", "--config"}},
		{"gdbproxy", []string{"usage: copslab gdbproxy", "      --listen string", "      --target string"}},
		{"sandbox", []string{"copslab sandbox run FILE|NAME", "--trace", "--until"}},
		{"bench", []string{"usage: copslab bench", "--mode", "--out", "--only", "BENCH=short"}},
	} {
		for _, h := range []string{"--help", "-h"} {
			code, out, errs := run(t, c.cmd, h)
			if code != 0 || errs != "" {
				t.Errorf("%s %s: exit %d, stderr %q", c.cmd, h, code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s: help lacks %q:\n%s", c.cmd, h, w, out)
				}
			}
			for _, w := range append(idle, "-1ns", "pflag") {
				if strings.Contains(out, w) {
					t.Errorf("%s %s: help shows %q:\n%s", c.cmd, h, w, out)
				}
			}
		}
	}
	for _, bad := range [][]string{{"export"}, {"render", "--bogus", "x.rec"}, {"open"}, {"sandbox", "run"}, {"gdbproxy", "-listen", "x"}, {"bench", "--mode", "fast"}, {"nosuch"}} {
		code, out, errs := run(t, bad...)
		if code != 2 || out != "" || !strings.Contains(errs, "usage: copslab") {
			t.Errorf("%v: exit %d (want 2), stdout %q, stderr %q", bad, code, out, errs)
		}
	}
	code, _, errs = run(t, "export", filepath.Join(t.TempDir(), "none.rec"), "--perfetto", filepath.Join(t.TempDir(), "x.json"))
	if code != 1 || !strings.Contains(errs, "none.rec") || strings.Contains(errs, "Fyne") {
		t.Errorf("export of a missing file: exit %d, stderr %q", code, errs)
	}
}
