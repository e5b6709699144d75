package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSandboxRunPriority runs the built-in priority experiment through the
// CLI and checks the output: transitions with causes, and the priority
// table in priority order of finishing.
func TestSandboxRunPriority(t *testing.T) {
	var b strings.Builder
	if err := sandboxRun([]string{"priority"}, &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Created→Ready        spawn", "Blocked→Ready        uintr req=", "io-done req=", "Running→Exited       exit"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	// Rows of the priority table: "prio coroutines finished requests mean max meanfinish lastfinish".
	row := regexp.MustCompile(`(?m)^\s+([0-7])\s+8\s+8\s+80\s+\S+\s+\S+\s+\S+\s+(\S+)$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) != 8 || rows[0][1] != "0" {
		t.Fatalf("priority table rows %v", rows)
	}
	if !strings.HasSuffix(rows[0][2], "us") || !strings.HasSuffix(rows[7][2], "ms") {
		t.Fatalf("priority 0 last finish %s, priority 7 %s: want µs vs ms", rows[0][2], rows[7][2])
	}
}

func TestSandboxRunFileAndErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "one.yaml")
	os.WriteFile(good, []byte("processes:\n  - name: p\n    coroutines: [{name: c, work: [compute: 2]}]\n"), 0o644)
	var b strings.Builder
	if err := sandboxRun([]string{good, "--until", "1ms"}, &b); err != nil || !strings.Contains(b.String(), "Running→Exited") {
		t.Fatalf("file run: %v\n%s", err, b.String())
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("processes:\n  - name: p\n    colour: red\n"), 0o644)
	err := sandboxRun([]string{bad}, &b)
	if err == nil || !strings.Contains(err.Error(), "line 3: unknown field \"colour\"") {
		t.Fatalf("bad file: %v", err)
	}
	if err := sandboxRun([]string{"nosuch"}, &b); err == nil || !strings.Contains(err.Error(), "no built-in scenario") {
		t.Fatalf("unknown name: %v", err)
	}
	if err := runSandbox(nil); err == nil {
		t.Fatal("no arguments accepted")
	}
}
