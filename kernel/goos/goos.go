//go:build copslab

// Package goos is the kernel's runtime/goos: kernel/build adds this file to
// the standard library as $GOROOT/src/runtime/goos/goos.go (go build
// -overlay), because the stock GOROOT has no such package and TamaGo's
// CPU, SoC and board packages (github.com/usbarmory/tamago) are written
// against it.
//
// The package only declares the hooks, with the names and types TamaGo
// v1.26.0 uses. Their bodies come from the board the kernel is built for
// (TamaGo's board/qemu/sifive_u and soc/sifive/fu540, or the kernel's own
// board packages under kernel/board and kernel/soc), pushed here with
// //go:linkname. The runtime layer (kernel/rt, goos.go) is what calls
// them — TamaGo's compiler fork calls them from its runtime; ours calls
// them from the unchanged linux/riscv64 runtime's emulated system calls:
//
//	Hwinit1   once, from package runtime's init, before any other package
//	Printk    every console byte (write to fd 1/2, runtime prints)
//	Nanotime  clock_gettime and everything timed
//	RamStart, RamSize  bound the memory mmap hands out
//	Exit, Idle  set by the runtime layer after Hwinit1 (TamaGo's CPU
//	          package sets its own defaults there)
//
// Hwinit0 (TamaGo's first code) is the kernel's entry, kernel/rt's
// _rt0_riscv64_copslab; CPUinit, InitRNG, GetRandomData, ProcID, Task and
// Bloc are declared so that TamaGo's packages compile, and are not
// called.
package goos

import "unsafe"

// Memory available to the runtime (the board's RAM). The one-argument
// //go:linkname marks each symbol as meant to be reached from other
// packages' linknames and assembly (TamaGo's riscv64 entry code reads
// these): Go 1.23+ links such references into GOROOT packages only then.

//go:linkname RamStart
var RamStart uint

//go:linkname RamSize
var RamSize uint

//go:linkname RamStackOffset
var RamStackOffset uint

// Optional hooks.

//go:linkname Bloc
var Bloc uintptr

//go:linkname Exit
var Exit func(code int32)

//go:linkname Idle
var Idle func(until int64)

//go:linkname ProcID
var ProcID func() uint64

//go:linkname Task
var Task func(sp, mp, gp, fn unsafe.Pointer)

// Required hooks, defined by the board (//go:linkname from its packages).

//go:linkname CPUinit
func CPUinit()

//go:linkname Hwinit0
func Hwinit0()

//go:linkname Hwinit1
func Hwinit1()

//go:linkname InitRNG
func InitRNG()

//go:linkname GetRandomData
func GetRandomData(b []byte)

//go:linkname Nanotime
func Nanotime() int64

//go:linkname Printk
func Printk(c byte)
