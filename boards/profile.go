package boards

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/viper"

	"copslab/kernel/build"
)

// Profile is a checked board profile. Field names follow the YAML keys.
type Profile struct {
	Name        string // short board name, e.g. "qemu-virt"
	Description string
	Path        string // file the profile was loaded from

	// Board is the kernel board this profile's image is built for
	// (kernel.board; a key of copslab/kernel/build.Boards, default virt):
	// `go run ./kernel/cmd/mkkernel -board NAME`.
	Board string

	QEMU     QEMUConfig      // zero for a hardware board
	Hardware *HardwareConfig // nil for a QEMU machine (hardware.go)
	GDB      GDBConfig
}

// QEMUConfig is the `qemu:` section of a profile.
type QEMUConfig struct {
	Binary     string   // emulator executable, e.g. qemu-system-riscv64
	Machine    string   // -machine value, e.g. virt
	Memory     uint64   // guest RAM in bytes (profile: "512M")
	CPUs       int      // -smp value
	BIOS       string   // -bios value; "none" boots the kernel without firmware
	NoGraphic  bool     // -nographic: serial console on stdio
	KernelArgs []string // how the image is passed; "{kernel}" is replaced by its path
	Extra      []string // arguments added to every run
}

// GDBConfig is the `gdb:` section of a profile.
type GDBConfig struct {
	Binary string // debugger executable, e.g. gdb-multiarch
	Port   int    // default TCP port of QEMU's gdb stub
}

// rawProfile mirrors the YAML file for viper's strict decoder.
type rawProfile struct {
	Name        string `mapstructure:"name"`
	Description string `mapstructure:"description"`
	Kernel      struct {
		Board string `mapstructure:"board"`
	} `mapstructure:"kernel"`
	QEMU struct {
		Binary     string   `mapstructure:"binary"`
		Machine    string   `mapstructure:"machine"`
		Memory     string   `mapstructure:"memory"`
		CPUs       int      `mapstructure:"cpus"`
		BIOS       string   `mapstructure:"bios"`
		NoGraphic  bool     `mapstructure:"nographic"`
		KernelArgs []string `mapstructure:"kernel_args"`
		Extra      []string `mapstructure:"extra"`
	} `mapstructure:"qemu"`
	Hardware *rawHardware `mapstructure:"hardware"`
	GDB      struct {
		Binary string `mapstructure:"binary"`
		Port   int    `mapstructure:"port"`
	} `mapstructure:"gdb"`
}

// requiredKeys must be present in every profile (viper lower-cases keys),
// qemuKeys in a QEMU profile, hardwareKeys (hardware.go) in a hardware one.
var (
	requiredKeys = []string{"name", "gdb.binary", "gdb.port"}
	qemuKeys     = []string{"qemu.binary", "qemu.machine", "qemu.memory", "qemu.cpus", "qemu.kernel_args"}
)

// knownKeys are all keys a profile may have.
var knownKeys = slices.Concat([]string{"description", "kernel.board", "qemu.bios", "qemu.nographic", "qemu.extra"},
	requiredKeys, qemuKeys, hardwareKeys, hardwareOptional)

// unknownKeys returns the keys (viper's flattened, lower-case form) that
// are not in knownKeys, sorted.
func unknownKeys(keys []string) []string {
	var out []string
	for _, k := range keys {
		if !slices.Contains(knownKeys, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// KernelPlaceholder in qemu.kernel_args is replaced by the kernel image path.
const KernelPlaceholder = "{kernel}"

// Load reads the YAML profile at path and checks it: unknown keys, missing
// required keys, a bad memory size, a CPU count or port out of range, and
// kernel_args without {kernel} are errors. Each problem is reported as
// "path:line: key: what is wrong" (ProfileError), all of them at once.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("board profile: %w", err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, syntaxError(path, err)
	}
	lines := keyLines(data)
	var errs []error
	for _, k := range unknownKeys(v.AllKeys()) {
		errs = append(errs, badKey(k, "unknown key (known: %s)", strings.Join(knownKeys, ", ")))
	}
	required := slices.Concat(requiredKeys, qemuKeys)
	if v.IsSet("hardware") {
		required = slices.Concat(requiredKeys, hardwareKeys)
	}
	for _, k := range required {
		if !v.IsSet(k) {
			errs = append(errs, badKey(k, "missing required key"))
		}
	}
	if len(errs) > 0 {
		return nil, locate(path, lines, errs...)
	}
	var raw rawProfile
	if err := v.UnmarshalExact(&raw); err != nil {
		return nil, locate(path, lines, err)
	}
	p, errs := raw.check()
	if len(errs) > 0 {
		return nil, locate(path, lines, errs...)
	}
	p.Path = path
	return p, nil
}

// check validates the decoded values and builds the Profile.
func (r *rawProfile) check() (*Profile, []error) {
	var errs []error
	bad := func(key, format string, a ...any) { errs = append(errs, badKey(key, format, a...)) }
	if strings.TrimSpace(r.Name) == "" {
		bad("name", "is empty")
	}
	board := r.Kernel.Board
	if board == "" {
		board = build.DefaultBoard
	}
	if _, err := build.Tags(board); err != nil {
		bad("kernel.board", "%q is not a kernel board (known: %s)", board, strings.Join(build.BoardNames(), ", "))
	}
	var hw *HardwareConfig
	var mem uint64
	if r.Hardware != nil {
		if r.QEMU.Binary != "" || r.QEMU.Machine != "" {
			bad("qemu", "a profile describes a QEMU machine (qemu:) or a hardware board (hardware:), not both")
		}
		hw = r.Hardware.check(bad)
	} else {
		if r.QEMU.Binary == "" {
			bad("qemu.binary", "is empty")
		}
		if r.QEMU.Machine == "" {
			bad("qemu.machine", "is empty")
		}
		var err error
		if mem, err = ParseSize(r.QEMU.Memory); err != nil {
			bad("qemu.memory", "%v", err)
		}
		if r.QEMU.CPUs < 1 || r.QEMU.CPUs > 512 {
			bad("qemu.cpus", "= %d, want 1..512", r.QEMU.CPUs)
		}
		if !containsPlaceholder(r.QEMU.KernelArgs) {
			bad("qemu.kernel_args", "%q must mention %s", r.QEMU.KernelArgs, KernelPlaceholder)
		}
	}
	if r.GDB.Binary == "" {
		bad("gdb.binary", "is empty")
	}
	if r.GDB.Port < 1 || r.GDB.Port > 65535 {
		bad("gdb.port", "= %d, want 1..65535", r.GDB.Port)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &Profile{
		Name:        r.Name,
		Description: r.Description,
		Board:       board,
		Hardware:    hw,
		QEMU: QEMUConfig{
			Binary: r.QEMU.Binary, Machine: r.QEMU.Machine, Memory: mem,
			CPUs: r.QEMU.CPUs, BIOS: r.QEMU.BIOS, NoGraphic: r.QEMU.NoGraphic,
			KernelArgs: r.QEMU.KernelArgs, Extra: r.QEMU.Extra,
		},
		GDB: GDBConfig{Binary: r.GDB.Binary, Port: r.GDB.Port},
	}, nil
}

func containsPlaceholder(args []string) bool {
	for _, a := range args {
		if strings.Contains(a, KernelPlaceholder) {
			return true
		}
	}
	return false
}
