package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgsBuiltAndCached builds a program of the module (the one go
// build for all of them) and a single-file program outside it, then
// checks the generated file embeds both, is left alone (stamp) when
// nothing changed and follows a changed program.
func TestProgsBuiltAndCached(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build for riscv64")
	}
	root, err := moduleRoot("go")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	single := filepath.Join(tmp, "solo.go")
	write := func(msg string) {
		src := "package main\n\nfunc main() { println(\"" + msg + "\") }\n"
		if err := os.WriteFile(single, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("first version")
	opts := Options{Go: "go", Root: root, WorkDir: filepath.Join(tmp, "work"),
		Progs: []string{filepath.Join(root, "kernel", "user", "hello"), single}}
	build := func() []byte {
		t.Helper()
		gen, err := buildProgs(opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(gen)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := build()
	for _, want := range []string{`embeddedProgs["hello"] = "\x7fELF`, `embeddedProgs["solo"] = "\x7fELF`, "first version"} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("generated file lacks %q", want)
		}
	}
	gen := filepath.Join(opts.WorkDir, "progs_gen.go")
	st0, _ := os.Stat(gen)
	if again := build(); !bytes.Equal(again, first) {
		t.Fatal("unchanged programs gave another generated file")
	}
	if st1, _ := os.Stat(gen); !st1.ModTime().Equal(st0.ModTime()) {
		t.Error("unchanged programs rewrote the generated file (the kernel would recompile)")
	}
	write("second version")
	second := build()
	if !bytes.Contains(second, []byte("second version")) || bytes.Contains(second, []byte("first version")) {
		t.Error("a changed program is not in the generated file")
	}
}

func TestProgsNotMain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build for riscv64")
	}
	root, err := moduleRoot("go")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Go: "go", Root: root, WorkDir: t.TempDir(), Progs: []string{filepath.Join(root, "kernel", "user", "hello"), filepath.Join(root, "sched")}}
	_, err = buildProgs(opts)
	if err == nil || !strings.Contains(err.Error(), "sched") || !strings.Contains(err.Error(), "not a main package") {
		t.Fatalf("a library package as a program: err = %v", err)
	}
	t.Log(err)
}
