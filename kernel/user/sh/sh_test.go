package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "[]",
		"  ls  -l ":           "[ls -l]",
		`echo "a b"  c`:       "[echo a b c]",
		`x ""`:                "[x ]",
		"kill\t$!":            "[kill $!]",
		`say "unterminated x`: "[say unterminated x]",
	} {
		if got := fmt.Sprint(split(in)); got != want {
			t.Errorf("split(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestBuiltins(t *testing.T) {
	var out bytes.Buffer
	s := &shell{out: &out, bg: map[int]*job{}}
	if s.line("help") || !strings.Contains(out.String(), "kill PID [SIG]") {
		t.Errorf("help: %q", out.String())
	}
	out.Reset()
	s.line("kill")
	s.line("kill x")
	s.line("kill 1 99")
	if got := out.String(); got != "usage: kill PID [SIG]\nkill: bad pid \"x\"\nkill: bad signal \"99\"\n" {
		t.Errorf("kill errors: %q", got)
	}
	out.Reset()
	if s.line("exit x") || out.String() != "exit: bad status \"x\"\n" {
		t.Errorf("exit x: %q", out.String())
	}
	if !s.line("exit 7") || s.status != 7 {
		t.Errorf("exit 7: status %d", s.status)
	}
}

// TestPsReadsProcFormat runs ps on a fake /proc tree.
func TestPsReadsProcFormat(t *testing.T) {
	root := t.TempDir()
	stat := "42 (my prog) S 1 42 42 0 -1 0 0 0 0 0 5 6 0 0 20 0 2 0 100 0 0\n"
	for _, tid := range []string{"42", "43"} {
		dir := filepath.Join(root, "42", "task", tid)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "stat"), []byte(strings.Replace(stat, " S ", map[string]string{"42": " S ", "43": " R "}[tid], 1)), 0o644)
	}
	os.MkdirAll(filepath.Join(root, "self"), 0o755)
	defer func(old string) { procRoot = old }(procRoot)
	procRoot = root
	var out bytes.Buffer
	if st := ps(&out); st != 0 {
		t.Fatalf("status %d", st)
	}
	want := "  PID   TID STATE PRIO NAME\n   42    42     S   20 my prog\n   42    43     R   20 my prog\n"
	if out.String() != want {
		t.Errorf("ps printed\n%s\nwant\n%s", out.String(), want)
	}
	procRoot = filepath.Join(root, "missing")
	out.Reset()
	if st := ps(&out); st != 1 || out.String() != "ps: not supported (no /proc)\n" {
		t.Errorf("no /proc: status %d, %q", st, out.String())
	}
}

// TestAssignments: a line of assignments alone names no program (the
// split itself is uabi.Assignments, tested there).
func TestAssignments(t *testing.T) {
	var out bytes.Buffer
	s := &shell{out: &out, bg: map[int]*job{}}
	if s.line("A=1"); s.status != 2 || !strings.Contains(out.String(), "sh: name a program") {
		t.Errorf("A=1 alone: status %d, %q", s.status, out.String())
	}
}
