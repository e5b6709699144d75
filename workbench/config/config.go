// Package config is the workbench's configuration: defaults, overridden by
// a YAML file at the XDG location ($XDG_CONFIG_HOME/copslab/config.yaml,
// else ~/.config/copslab/config.yaml, or --config / $COPSLAB_CONFIG),
// overridden by environment variables (COPSLAB_ + key with dots as
// underscores, e.g. COPSLAB_QEMU_PATH), overridden by command-line flags.
// It uses github.com/spf13/viper and remembers where each value came from,
// which `copslab config` prints.
package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Key is one configuration setting.
type Key struct {
	Name    string // dotted key, as in the file
	Flag    string // command-line flag; "" while no command uses the key yet
	Default any    // string or int
	Help    string
}

// Keys lists every setting.
var Keys = []Key{
	{"target.kind", "target", "sandbox", "target kind: sandbox, qemu (the kernel in QEMU) or auto (qemu when QEMU and the kernel ELF are there, else sandbox)"},
	{"target.scenario", "scenario", "tiny", "sandbox scenario: built-in name or YAML file"},
	// Settable in the file and the environment; a key gets a flag when a
	// command uses it (the qemu target: qemu, board, attach, kernel,
	// append), so no flag is offered that does nothing.
	{"qemu.path", "qemu", "qemu-system-riscv64", "QEMU binary (qemu target)"},
	{"qemu.options", "", "", "extra QEMU options"},
	{"qemu.attach", "attach", "", "host:port of a running kernel's gdb stub to attach to (empty: launch QEMU)"},
	{"qemu.stub", "stub", "qemu", "gdb stub the qemu target talks to: qemu (QEMU's own) or kernel (the kernel's own on the board's second UART, for boards without JTAG; sifive_u)"},
	{"kernel.elf", "kernel", "out/kernel.elf", "kernel ELF for the qemu target (symbols, build id)"},
	{"kernel.append", "append", "", "kernel command line for the qemu target (empty: init and the shell)"},
	{"board.profile", "board", "boards/qemu-virt.yaml", "board profile (YAML) the qemu target launches"},
	{"ports.host", "", "127.0.0.1", "address debug ports listen on (loopback by default)"},
	{"ports.gdb", "", 1234, "GDB remote-protocol port"},
	{"lessons.dir", "", "lessons", "lessons directory"},
}

// Source says where a value came from.
type Source string

// Sources, weakest first.
const (
	FromDefault Source = "default"
	FromFile    Source = "file"
	FromEnv     Source = "env"
	FromFlag    Source = "flag"
)

// EnvPrefix starts every environment variable.
const EnvPrefix = "COPSLAB"

// Config is the effective configuration.
type Config struct {
	v    *viper.Viper
	fs   *pflag.FlagSet
	file string // config file read, or ""
	path string // where it was looked for
}

// AddFlags registers --config and the flag of every key that has one.
func AddFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "config file (default "+DefaultPath()+")")
	for _, k := range Keys {
		if k.Flag == "" {
			continue
		}
		switch d := k.Default.(type) {
		case int:
			fs.Int(k.Flag, d, k.Help)
		default:
			fs.String(k.Flag, fmt.Sprint(d), k.Help)
		}
	}
}

// DefaultPath returns the XDG location of the config file.
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".config")
		}
	}
	return filepath.Join(dir, "copslab", "config.yaml")
}

// EnvName returns the environment variable for a key.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Load builds the configuration; fs must have been set up with AddFlags
// and parsed (it may be nil: no flags).
func Load(fs *pflag.FlagSet) (*Config, error) {
	c := &Config{v: viper.New(), fs: fs}
	for _, k := range Keys {
		c.v.SetDefault(k.Name, k.Default)
		if err := c.v.BindEnv(k.Name, EnvName(k.Name)); err != nil {
			return nil, err
		}
		if f := c.flag(k); f != nil {
			if err := c.v.BindPFlag(k.Name, f); err != nil {
				return nil, err
			}
		}
	}
	if err := c.readFile(); err != nil {
		return nil, err
	}
	return c, c.validate()
}

func (c *Config) flag(k Key) *pflag.Flag {
	if c.fs == nil || k.Flag == "" {
		return nil
	}
	return c.fs.Lookup(k.Flag)
}

// readFile reads the config file. A missing file at the default location
// is fine; a missing file that was asked for, a malformed file or an
// unknown key is an error naming the file.
func (c *Config) readFile() error {
	c.path = DefaultPath()
	explicit := false
	if p := os.Getenv(EnvPrefix + "_CONFIG"); p != "" {
		c.path, explicit = p, true
	}
	if c.fs != nil {
		if f := c.fs.Lookup("config"); f != nil && f.Changed {
			c.path, explicit = f.Value.String(), true
		}
	}
	if _, err := os.Stat(c.path); errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	c.v.SetConfigFile(c.path)
	c.v.SetConfigType("yaml")
	if err := c.v.ReadInConfig(); err != nil {
		return fmt.Errorf("config file %s: %w", c.path, err)
	}
	c.file = c.path
	return c.checkKeys()
}

func (c *Config) checkKeys() error {
	known := map[string]bool{}
	for _, k := range Keys {
		known[k.Name] = true
	}
	var unknown []string
	for _, k := range c.v.AllKeys() {
		if !known[k] && c.v.InConfig(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("config file %s: unknown key(s) %s", c.file, strings.Join(unknown, ", "))
	}
	return nil
}

func (c *Config) validate() error {
	kind := c.String("target.kind")
	if kind != "sandbox" && kind != "qemu" && kind != "auto" {
		return fmt.Errorf("target.kind %q (from %s): want sandbox, qemu or auto", kind, c.Source("target.kind"))
	}
	if stub := c.String("qemu.stub"); stub != "qemu" && stub != "kernel" {
		return fmt.Errorf("qemu.stub %q (from %s): want qemu or kernel", stub, c.Source("qemu.stub"))
	}
	if _, err := c.intE("ports.gdb"); err != nil {
		return err
	}
	if p := c.Int("ports.gdb"); p < 1 || p > 65535 {
		return fmt.Errorf("ports.gdb %d (from %s) is not a port number", p, c.Source("ports.gdb"))
	}
	return nil
}

// String returns a key's value.
func (c *Config) String(key string) string { return c.v.GetString(key) }

// Int returns an integer key's value (0 when not a number; Load checks).
func (c *Config) Int(key string) int { n, _ := c.intE(key); return n }

func (c *Config) intE(key string) (int, error) {
	var n int
	if _, err := fmt.Sscan(c.v.GetString(key), &n); err != nil {
		return 0, fmt.Errorf("%s %q (from %s) is not a number", key, c.v.GetString(key), c.Source(key))
	}
	return n, nil
}

// File returns the config file that was read, or "".
func (c *Config) File() string { return c.file }

// Source says where key's value came from.
func (c *Config) Source(key string) Source {
	for _, k := range Keys {
		if k.Name != key {
			continue
		}
		if f := c.flag(k); f != nil && f.Changed {
			return FromFlag
		}
		if _, ok := os.LookupEnv(EnvName(key)); ok {
			return FromEnv
		}
		if c.file != "" && c.v.InConfig(key) {
			return FromFile
		}
	}
	return FromDefault
}

// Print writes the effective configuration, one key per line with its
// source, e.g. `target.kind = sandbox  (default)`.
func (c *Config) Print(w io.Writer) error {
	file := c.file
	if file == "" {
		file = c.path + " (not found; using defaults)"
	}
	fmt.Fprintf(w, "# config file: %s\n", file)
	for _, k := range Keys {
		src := string(c.Source(k.Name))
		switch Source(src) {
		case FromEnv:
			src += " " + EnvName(k.Name)
		case FromFlag:
			src += " --" + k.Flag
		case FromFile:
			src += " " + c.file
		}
		if _, err := fmt.Fprintf(w, "%-16s = %-24q (%s)\n", k.Name, c.String(k.Name), src); err != nil {
			return err
		}
	}
	return nil
}
