package boards

import (
	"fmt"
	"slices"
	"strings"
)

// A profile describes either a QEMU machine (the qemu: section) or a
// hardware board that is not emulated here (the hardware: section): its
// CPU, hart count, clock, memory map and how an image gets onto it. The
// kernel image for it is still built from the profile (kernel.board), and
// its memory map is checked against the board's device tree and the
// kernel's board package by tests; nothing boots it on this machine.

// HardwareConfig is the `hardware:` section of a profile.
type HardwareConfig struct {
	CPU      string   // core and configuration, e.g. Rocket with the N extension
	ISA      string   // riscv,isa string of the harts, e.g. rv64imafdcn
	FPGA     string   // the board the bitstream runs on
	Harts    int      // number of harts
	ClockHz  uint64   // core clock
	Timebase uint64   // mtime frequency (device tree timebase-frequency)
	UINTR    string   // user-interrupt back end: UINTRHardware or UINTREmulated
	Memory   Region   // main memory
	UART     uint64   // console UART (sifive,uart0) registers
	GDBUART  uint64   // second UART for the kernel's gdb stub; 0: none
	CLINT    uint64   // core-local interruptor
	PLIC     uint64   // platform-level interrupt controller
	BootROM  uint64   // where the harts start (jumps to Memory.Base, a1 = DTB)
	Load     []string // how to put the kernel image on the board, step by step
	Attach   string   // how the workbench attaches
}

// Region is a base address and a size in bytes.
type Region struct {
	Base, Size uint64
}

// User-interrupt back ends a hardware profile can select.
const (
	UINTRHardware = "n-extension" // the N extension's user trap CSRs and uret
	UINTREmulated = "emulated"    // the kernel emulates delivery (QEMU)
)

// rawHardware mirrors the `hardware:` section for viper's decoder.
type rawHardware struct {
	CPU      string `mapstructure:"cpu"`
	ISA      string `mapstructure:"isa"`
	FPGA     string `mapstructure:"fpga"`
	Harts    int    `mapstructure:"harts"`
	ClockHz  uint64 `mapstructure:"clock_hz"`
	Timebase uint64 `mapstructure:"timebase"`
	UINTR    string `mapstructure:"uintr"`
	Memory   struct {
		Base uint64 `mapstructure:"base"`
		Size string `mapstructure:"size"`
	} `mapstructure:"memory"`
	UART    uint64   `mapstructure:"uart"`
	GDBUART uint64   `mapstructure:"gdb_uart"`
	CLINT   uint64   `mapstructure:"clint"`
	PLIC    uint64   `mapstructure:"plic"`
	BootROM uint64   `mapstructure:"bootrom"`
	Load    []string `mapstructure:"load"`
	Attach  string   `mapstructure:"attach"`
}

// hardwareKeys must be present in a hardware profile; hardwareOptional may.
var (
	hardwareKeys = []string{
		"hardware.cpu", "hardware.isa", "hardware.harts", "hardware.clock_hz",
		"hardware.timebase", "hardware.uintr", "hardware.memory.base",
		"hardware.memory.size", "hardware.uart", "hardware.clint",
		"hardware.plic", "hardware.load",
	}
	hardwareOptional = []string{"hardware.fpga", "hardware.gdb_uart", "hardware.bootrom", "hardware.attach"}
)

// check validates the section; bad reports a problem at a key.
func (r *rawHardware) check(bad func(key, format string, a ...any)) *HardwareConfig {
	h := &HardwareConfig{
		CPU: r.CPU, ISA: r.ISA, FPGA: r.FPGA, Harts: r.Harts, ClockHz: r.ClockHz,
		Timebase: r.Timebase, UINTR: r.UINTR, UART: r.UART, GDBUART: r.GDBUART,
		CLINT: r.CLINT, PLIC: r.PLIC, BootROM: r.BootROM, Load: r.Load, Attach: r.Attach,
	}
	if strings.TrimSpace(r.CPU) == "" {
		bad("hardware.cpu", "is empty")
	}
	if !strings.HasPrefix(r.ISA, "rv64") {
		bad("hardware.isa", "%q: want a riscv,isa string starting rv64", r.ISA)
	} else if !strings.ContainsAny(strings.TrimPrefix(r.ISA, "rv64"), "dg") {
		bad("hardware.isa", "%q has no D extension: the Go runtime needs the FPU", r.ISA)
	}
	if r.Harts < 1 || r.Harts > 512 {
		bad("hardware.harts", "= %d, want 1..512", r.Harts)
	}
	if r.ClockHz == 0 {
		bad("hardware.clock_hz", "must be positive")
	}
	if r.Timebase == 0 {
		bad("hardware.timebase", "must be positive")
	}
	if !slices.Contains([]string{UINTRHardware, UINTREmulated}, r.UINTR) {
		bad("hardware.uintr", "%q: want %s or %s", r.UINTR, UINTRHardware, UINTREmulated)
	} else if r.UINTR == UINTRHardware && !hasNExtension(r.ISA) {
		bad("hardware.uintr", "%s needs the N extension in hardware.isa (%q)", UINTRHardware, r.ISA)
	}
	size, err := ParseSize(r.Memory.Size)
	if err != nil {
		bad("hardware.memory.size", "%v", err)
	}
	h.Memory = Region{Base: r.Memory.Base, Size: size}
	if r.Memory.Base%4096 != 0 || r.Memory.Base == 0 {
		bad("hardware.memory.base", "%#x: want a non-zero page-aligned address", r.Memory.Base)
	}
	for _, d := range []struct {
		key  string
		addr uint64
	}{{"hardware.uart", r.UART}, {"hardware.clint", r.CLINT}, {"hardware.plic", r.PLIC}, {"hardware.gdb_uart", r.GDBUART}, {"hardware.bootrom", r.BootROM}} {
		if d.addr != 0 && d.addr >= h.Memory.Base && d.addr < h.Memory.Base+h.Memory.Size {
			bad(d.key, "%#x lies inside memory [%#x, %#x)", d.addr, h.Memory.Base, h.Memory.Base+h.Memory.Size)
		}
	}
	if r.UART == 0 {
		bad("hardware.uart", "must be a device address")
	}
	if r.GDBUART != 0 && r.GDBUART == r.UART {
		bad("hardware.gdb_uart", "%#x is the console UART", r.GDBUART)
	}
	if len(r.Load) == 0 {
		bad("hardware.load", "say how the kernel image gets onto the board")
	}
	return h
}

// hasNExtension reports whether a riscv,isa string names the N extension
// (single letter after the base, before any multi-letter extension).
func hasNExtension(isa string) bool {
	single, _, _ := strings.Cut(strings.TrimPrefix(isa, "rv64"), "_")
	return strings.ContainsRune(single, 'n')
}

// String is a one-line summary of the memory map.
func (h *HardwareConfig) String() string {
	return fmt.Sprintf("%s, %d harts at %d Hz, RAM %s at %#x, UART %#x, CLINT %#x, PLIC %#x",
		h.CPU, h.Harts, h.ClockHz, FormatSize(h.Memory.Size), h.Memory.Base, h.UART, h.CLINT, h.PLIC)
}
