package config_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"copslab/workbench/config"
)

// setup points XDG_CONFIG_HOME at a temp dir holding file (if non-empty),
// clears COPSLAB_* and parses args.
func setup(t *testing.T, file string, args ...string) (*config.Config, error) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	for _, e := range os.Environ() {
		if name, _, _ := strings.Cut(e, "="); strings.HasPrefix(name, "COPSLAB_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	if file != "" {
		os.MkdirAll(filepath.Join(dir, "copslab"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, "copslab", "config.yaml"), []byte(file), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	config.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return config.Load(fs)
}

func TestPrecedenceAndSources(t *testing.T) {
	c, err := setup(t, "qemu:\n  path: /file/qemu\nports:\n  gdb: 2000\nlessons:\n  dir: /file/lessons\ntarget:\n  scenario: fromfile\n", "--scenario=fromflag")
	if err != nil {
		t.Fatal(err)
	}
	if c.String("lessons.dir") != "/file/lessons" || c.Source("lessons.dir") != config.FromFile {
		t.Errorf("file: %q from %s", c.String("lessons.dir"), c.Source("lessons.dir"))
	}
	if c.String("target.scenario") != "fromflag" || c.Source("target.scenario") != config.FromFlag {
		t.Errorf("flag beats file: %q from %s", c.String("target.scenario"), c.Source("target.scenario"))
	}
	if c.Int("ports.gdb") != 2000 || c.Source("ports.gdb") != config.FromFile {
		t.Errorf("file: %d from %s", c.Int("ports.gdb"), c.Source("ports.gdb"))
	}
	if c.String("target.kind") != "sandbox" || c.Source("target.kind") != config.FromDefault {
		t.Errorf("default: %q from %s", c.String("target.kind"), c.Source("target.kind"))
	}
	t.Setenv("COPSLAB_QEMU_PATH", "/env/qemu")
	c, err = config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.String("qemu.path") != "/env/qemu" || c.Source("qemu.path") != config.FromEnv {
		t.Errorf("env beats file: %q from %s", c.String("qemu.path"), c.Source("qemu.path"))
	}
	var out bytes.Buffer
	c.Print(&out)
	for _, want := range []string{"qemu.path", `"/env/qemu"`, "(env COPSLAB_QEMU_PATH)", "(file ", "(default)", "config.yaml"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Print lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadFiles(t *testing.T) {
	cases := map[string]string{
		"qemu: [unclosed\n":       "config file",
		"qemu:\n  pathh: x\n":     "unknown key(s) qemu.pathh",
		"ports:\n  gdb: 99999\n":  "not a port number",
		"ports:\n  gdb: many\n":   "not a number",
		"target:\n  kind: fpga\n": "want sandbox, qemu or auto",
		"qemu:\n  stub: jtag\n":   "want qemu or kernel",
	}
	for file, want := range cases {
		_, err := setup(t, file)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", file, err, want)
		}
	}
}

func TestMissingExplicitFile(t *testing.T) {
	_, err := setup(t, "", "--config", "/nonexistent/copslab.yaml")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/copslab.yaml") {
		t.Fatalf("err = %v", err)
	}
}

// TestNoIdleFlags: a command offers only flags that something reads; keys
// no command uses yet are file and environment settings only.
func TestNoIdleFlags(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	config.AddFlags(fs)
	var got []string
	fs.VisitAll(func(f *pflag.Flag) { got = append(got, f.Name) })
	if want := "append attach board config kernel qemu scenario stub target"; strings.Join(got, " ") != want {
		t.Errorf("flags %q, want %q", got, want)
	}
}
