package live

// The kernel's own gdb stub as the live session's back end: instead of
// QEMU's stub (-S -gdb), the kernel boots with kgdb=wait and serves gdb on
// the board's second UART, which QEMU connects to a loopback TCP socket
// (-chardev socket). The stub stops the whole kernel the way QEMU's does
// (kernel/rt, kgdb.go), so everything else in this package — build id,
// trace ring by ELF symbol, breakpoints on the decision point, the brief
// halts of streaming — runs unchanged over it. This is how a board
// without JTAG is watched.

import (
	"fmt"
	"slices"
	"strconv"

	"copslab/boards"
)

// Stub kinds (Options.Stub).
const (
	StubQEMU   = "qemu"   // QEMU's own gdb stub (the default)
	StubKernel = "kernel" // the kernel's stub on the second UART
)

// Stubs lists the stub kinds.
var Stubs = []string{StubQEMU, StubKernel}

// KernelStubBoards are the kernel boards with a second UART.
var KernelStubBoards = []string{"sifive_u", "rocket"}

// KernelStubOption is the boot option that arms the kernel's stub and
// holds the kernel until gdb continues it.
const KernelStubOption = "kgdb=wait"

// KernelStubArgs returns the QEMU options that put the board's second
// serial port on a TCP server socket at 127.0.0.1:port (the console
// stays on stdio).
func KernelStubArgs(port int) []string {
	return []string{"-serial", "mon:stdio",
		"-chardev", "socket,id=kgdb,host=" + boards.LoopbackHost + ",port=" + strconv.Itoa(port) + ",server=on,wait=off,nodelay=on",
		"-serial", "chardev:kgdb"}
}

// checkStub validates Options.Stub against the board.
func checkStub(o Options) error {
	if o.Stub == "" || o.Stub == StubQEMU {
		return nil
	}
	if o.Stub != StubKernel {
		return fmt.Errorf("live: unknown gdb stub %q (have %v)", o.Stub, Stubs)
	}
	if o.Attach == "" && o.Board != nil && !slices.Contains(KernelStubBoards, o.Board.Board) {
		return fmt.Errorf("live: the kernel's own gdb stub needs a second UART: board %s (kernel board %q) has none; boards with one: %v",
			o.Board.Name, o.Board.Board, KernelStubBoards)
	}
	return nil
}

// kernelStubRun is how QEMU starts for the kernel's stub: the kernel
// armed (kgdb=wait before the command line) and its stub's line on the
// loopback port; no -S, no QEMU stub.
func kernelStubRun(appendArgs string, port int) boards.RunOptions {
	return boards.RunOptions{Append: joinAppend(KernelStubOption, appendArgs), Extra: KernelStubArgs(port)}
}

func joinAppend(opt, rest string) string {
	if rest == "" {
		return opt
	}
	return opt + " " + rest
}
